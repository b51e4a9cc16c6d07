import { randomBytes } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The errno code of a file system error, if it is one. */
export function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Runs `task` on every item, at most `limit` at a time (file handles are finite). */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Writes `data` at `path` unless a file is there already. The bytes go to a temp name first and
 * are then hard-linked into place: link fails when the name exists, so of several processes
 * writing one name, exactly one wins and no reader ever sees a half-written file.
 * With `durable`, the data and the new name reach the disk before this resolves.
 */
export async function writeIfAbsent(path: string, data: Uint8Array | string, durable: boolean): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(data);
    if (durable) await file.datasync();
  } finally {
    await file.close();
  }
  try {
    await link(temp, path);
    if (durable) await syncFolder(dirname(path));
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
  } finally {
    await unlink(temp);
  }
}

/**
 * Appends `text` in one write. On a local file system, appends of one write from several
 * processes land whole, one after the other (O_APPEND), so concurrent writers need no lock.
 */
export async function appendWhole(path: string, text: string, durable: boolean): Promise<void> {
  const file = await open(path, 'a');
  try {
    await file.write(text);
    if (durable) await file.datasync();
  } finally {
    await file.close();
  }
}

async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
