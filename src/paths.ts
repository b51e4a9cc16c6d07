import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package's root folder, found by walking up to our package.json, so that paths work the same
 * from source (ts-jest) and from the compiled dist/ tree.
 */
export function packageRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'durable-teams') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`durable-teams: cannot find the package root above ${from}`);
    dir = parent;
  }
}
