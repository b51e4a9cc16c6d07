import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    git('cat-file', '-e', `${commit}^{commit}`);
  } catch {
    throw new Error(`the previous release ${commit} is not in this clone's history; clone the repository whole (not --depth)`);
  }
  if (git('diff', '--name-only', commit, '--', 'package-lock.json').length > 0)
    throw new Error(`the previous release ${commit} has other dependencies: install its own for test/versioning/previous-release.ts`);
  const dir = mkdtempSync(join(tmpdir(), 'durable-teams-previous-'));
  const tar = join(dir, 'release.tar');
  git('archive', '--format=tar', `--output=${tar}`, commit, ...SOURCES, 'bin', 'package.json');
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { cli: compileTree(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
