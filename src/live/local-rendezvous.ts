import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** A process that listens has its socket under this ending; one being set up has another, so nobody connects too soon. */
export const SOCKET_SUFFIX = '.sock';

/**
 * Where the processes of one user that share a store folder find each other: a folder under the
 * system's temporary folder, named from the store folder's real path and the user id. The name is
 * a short hash, so that socket paths in it stay under the ~104 bytes a Unix socket's path may
 * have (macOS's temporary folder alone is about 50). Undefined where there are no user ids (Windows).
 */
export async function rendezvousDirOf(storeFolder: string, uid: number | undefined = process.getuid?.()): Promise<string | undefined> {
  if (uid === undefined) return undefined;
  const folder = await realPathOf(storeFolder);
  const hash = createHash('sha256').update(`${uid}\0${folder}`).digest('hex').slice(0, 16);
  return join(tmpdir(), `dt-live-${hash}`);
}

/**
 * Makes the rendezvous folder ours (created 0700, or found so), or says why it cannot be used: a
 * folder another user made, one others may read or enter, or a link could let another user hear
 * the previews or speak into them. The reason names the folder, never anything said in a run.
 */
export async function claimRendezvous(dir: string, uid: number | undefined = process.getuid?.()): Promise<string | null> {
  try {
    await mkdir(dir, { mode: 0o700 });
    await chmod(dir, 0o700); // the umask may have taken bits away; it must be exactly ours
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      return `the folder ${dir} cannot be made (${(err as NodeJS.ErrnoException).code})`;
  }
  const found = await lstat(dir).catch(() => null);
  if (!found) return `the folder ${dir} went away`;
  if (!found.isDirectory()) return `${dir} is not a folder`;
  if (found.uid !== uid) return `the folder ${dir} belongs to another user`;
  if ((found.mode & 0o077) !== 0) return `the folder ${dir} is open to other users (mode ${(found.mode & 0o777).toString(8)})`;
  return null;
}

/** The sockets of the processes listening in the folder now (none if it is gone). */
export async function socketsIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith(SOCKET_SUFFIX)).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/**
 * The path with its links resolved, so that two processes naming one folder differently (a link,
 * a relative path) meet. A store folder not made yet is resolved through its nearest existing parent.
 */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await realPathOf(parent), basename(path));
  }
}
