import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A hash of the code this process runs: the compiled workflows, activities and library beside
 * this file, with the Temporal workflow SDK's version. The same code always has the same hash, and
 * any change, however small, a new one: it names a build (cli/deployment-flags.ts) and tells
 * whether the workflow bundle made at build time is still this code's (prebuilt-bundle.ts).
 */
export function codeHash(): string {
  // The code cannot change under a running process: read it once (a worker asks twice as it starts).
  computed ??= hashOfCode();
  return computed;
}

let computed: string | undefined;

function hashOfCode(): string {
  const hash = createHash('sha256');
  // Compiled, this file is dist/src/worker/: dist/ holds the code that runs.
  const code = join(__dirname, '..', '..');
  for (const folder of ['src', 'workflows', 'activities'])
    for (const file of filesUnder(join(code, folder))) hash.update(file.slice(code.length)).update(readFileSync(file));
  hash.update(require('@temporalio/workflow/package.json').version as string);
  return hash.digest('hex');
}

function filesUnder(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(js|ts)$/.test(name) ? [path] : [];
  });
}
