// Builds the web console into dist/console: one script bundled by esbuild (Preact included), the
// stylesheet and the page. Run by `npm run build` after tsc; nothing is fetched at run time.
// esbuild does not typecheck: `npm run typecheck` runs tsc on console/tsconfig.json for that.
// The source map goes to dist/console-maps, outside the served folder, and app.js does not name
// it: the front end serves dist/console to anyone, and the map would publish the page's source.
// To debug a built page, load dist/console-maps/app.js.map into the browser's developer tools.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'console');
const maps = join(root, 'dist', 'console-maps');
mkdirSync(out, { recursive: true });
mkdirSync(maps, { recursive: true });
await build({
  entryPoints: [join(root, 'console', 'src', 'main.tsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  minify: true,
  sourcemap: 'external',
  format: 'iife',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: join(root, 'console', 'tsconfig.json'),
  legalComments: 'linked',
  logLevel: 'warning',
});
renameSync(join(out, 'app.js.map'), join(maps, 'app.js.map'));
for (const file of ['index.html', 'app.css']) copyFileSync(join(root, 'console', file), join(out, file));
