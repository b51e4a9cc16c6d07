// The checks `npm test` runs: types everywhere (tests included: Jest only transpiles them), the
// console's types, lint, and formatting, side by side, each one process. Each one's output is
// printed whole when it ends, with its time; the exit code is 1 if any failed. Caches live in
// node_modules/.cache, so a second run checks what changed.
//
// `node scripts/checks.mjs` runs the checks alone. `node scripts/checks.mjs --beside-jest` (what
// `npm test` runs) starts Jest at once and the checks beside it, at a lower CPU priority: most of
// the suite's time is waiting on Temporal, processes and scripted model latency, and on two cores
// the checks fill that idle CPU instead of taking three minutes of their own before the first test.
// A failed check is printed the moment it ends; Jest still runs to the end, so one run reports both.
import { spawn } from 'node:child_process';

const CHECKS = [
  ['types', 'tsc', ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/tsc/tests.tsbuildinfo']],
  ['console types', 'tsc', ['-p', 'console/tsconfig.json', '--noEmit']],
  ['lint', 'eslint', ['.', '--cache', '--cache-location', 'node_modules/.cache/eslint/']],
  ['format', 'prettier', ['--check', '--cache', '--log-level', 'warn', '**/*.{ts,tsx,js,mjs}']],
];
// Niceness of the checks beside Jest: the tests keep the CPU when they want it.
const BESIDE_JEST_NICENESS = 10;

const besideJest = process.argv.includes('--beside-jest');

/** Runs one command, its output collected; resolves with whether it exited 0. */
const check = ([name, bin, args]) =>
  new Promise((resolve) => {
    const started = performance.now();
    const command = ['npx', '--no-install', bin, ...args];
    const child = besideJest
      ? spawn('nice', ['-n', String(BESIDE_JEST_NICENESS), ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      output += `${error.message}\n`;
    });
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${code === 0 ? 'ok' : 'FAILED'}: ${name} (${seconds} s)\n${output}`);
      resolve(code === 0);
    });
  });

/** Runs Jest with the terminal as its own (its progress and colours as usual). */
const jest = () =>
  new Promise((resolve) => {
    const child = spawn('npx', ['--no-install', 'jest', ...process.argv.slice(3)], { stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`jest did not start: ${error.message}\n`);
      resolve(false);
    });
    child.on('close', (code) => resolve(code === 0));
  });

const [checksPassed, testsPassed] = await Promise.all([
  Promise.all(CHECKS.map(check)).then((results) => results.every(Boolean)),
  besideJest ? jest() : Promise.resolve(true),
]);
if (besideJest && !checksPassed) process.stdout.write('npm test: the tests ran, but a check FAILED (see above)\n');
process.exit(checksPassed && testsPassed ? 0 : 1);
