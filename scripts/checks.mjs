// The checks `npm test` runs before Jest, side by side (each is one process, and CI has two
// cores): types everywhere (tests included: Jest only transpiles them), the console's types,
// lint, and formatting. Each one's output is printed whole when it ends, with its time; the exit
// code is 1 if any failed. Caches live in node_modules/.cache, so a second run checks what changed.
import { spawn } from 'node:child_process';

const CHECKS = [
  ['types', 'tsc', ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/tsc/tests.tsbuildinfo']],
  ['console types', 'tsc', ['-p', 'console/tsconfig.json', '--noEmit']],
  ['lint', 'eslint', ['.', '--cache', '--cache-location', 'node_modules/.cache/eslint/']],
  ['format', 'prettier', ['--check', '--cache', '--log-level', 'warn', '**/*.{ts,tsx,js,mjs}']],
];

const run = ([name, bin, args]) =>
  new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('npx', ['--no-install', bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${code === 0 ? 'ok' : 'FAILED'}: ${name} (${seconds} s)\n${output}`);
      resolve(code === 0);
    });
  });

const results = await Promise.all(CHECKS.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
