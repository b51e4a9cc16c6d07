import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A devDependency: compiles without type-checking, so a build takes seconds, not tsc's minute. */
const esbuild = require('esbuild') as typeof import('esbuild');

/** The folders of a build's source: what its `durable-teams` command loads from dist/. */
export const SOURCES = ['src', 'workflows', 'activities'];

/**
 * Compiles the tree copied into `dir` (its SOURCES, bin and package.json, with node_modules
 * beside them) into `dir/dist`, as `npm run build` lays it out, and copies the files the compiled
 * code reads beside itself (the console's page, schemas). Answers its `durable-teams` command.
 */
export function compileTree(dir: string): string {
  const sources = SOURCES.flatMap((folder) => filesUnder(join(dir, folder)));
  esbuild.buildSync({
    entryPoints: sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    outdir: join(dir, 'dist'),
    outbase: dir,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  for (const file of sources.filter((f) => !f.endsWith('.ts'))) cpSync(file, join(dir, 'dist', relative(dir, file)));
  return join(dir, 'bin', 'durable-teams');
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
