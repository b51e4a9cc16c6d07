import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths';
import { compileTree, SOURCES } from './compile-tree';

/**
 * The previous release: main as the last stop that landed left it. Move it forward with each
 * release, so the test beside it always runs the build users have now against the one they get.
 */
export const PREVIOUS_RELEASE = '3ebf6f99b845b3352206f4bc2f89aecec3531116';

export interface ReleaseBuild {
  /** Its `durable-teams` command. */
  cli: string;
  remove(): void;
}

/**
 * The previous release's tree, taken from this clone's git history and compiled (esbuild, a
 * second or two) into a folder of its own, with this tree's node_modules (a release that changed
 * its dependencies would need its own: the check below says so).
 */
export function buildPreviousRelease(commit = PREVIOUS_RELEASE): ReleaseBuild {
  const root = packageRoot();
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
  try {
    git('cat-file', '-e', `${commit}^{commit}`);
  } catch {
    throw new Error(`the previous release ${commit} is not in this clone's history; clone the repository whole (not --depth)`);
  }
  const changed = changedDependencies(JSON.parse(git('show', `${commit}:package-lock.json`).toString()), root);
  if (changed.length > 0)
    throw new Error(
      `the previous release ${commit} ran other versions of ${changed.join(', ')}: install its own for test/versioning/previous-release.ts`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'durable-teams-previous-'));
  const tar = join(dir, 'release.tar');
  git('archive', '--format=tar', `--output=${tar}`, commit, ...SOURCES, 'bin', 'package.json');
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { cli: compileTree(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

type Lock = { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };

/**
 * The previous release's runtime dependencies that this tree installs at another version: it runs
 * here on this tree's node_modules, so each must be the one it shipped with (dependencies it
 * lacked, and devDependencies, do not matter).
 */
function changedDependencies(before: Lock, root: string): string[] {
  const now = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
  const shipped = Object.keys(before.packages['']?.dependencies ?? {});
  return shipped.filter((name) => before.packages[`node_modules/${name}`]?.version !== now.packages[`node_modules/${name}`]?.version);
}
