import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunNotFoundError } from '../../src/temporal/errors';
import type { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress } from '../../src/testing/temporal-env';
import { ROOT } from '../helpers/teams';

const BIN = join(ROOT, 'bin', 'durable-teams');

export interface CliResult {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to the child's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** The process (and anything it started) is killed after this long. Default 30 s. */
  timeoutMs?: number;
  /**
   * The child's stdin: nothing by default (as from /dev/null); a string is written and the pipe
   * closed; 'pipe' keeps it open for `write()` and `endInput()`, as a person at a prompt would.
   */
  stdin?: string | 'pipe';
}

/**
 * The environment a CLI child gets: this process's, without the settings that would point it at
 * a model or a server the test did not choose, and with colour off.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'DURABLE_TEAMS_TASK_QUEUE']) {
    delete env[name];
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A CLI process that runs until it ends by itself or is told to stop (a server, a worker). */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;
  private ended = false;
  private readonly child: ChildProcess;

  constructor(args: string[], options: CliOptions = {}) {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('the CLI is not built: run `npm run build` first');
    // Its own process group, so that a timeout also ends what it started (a dev server, say).
    const stdin = options.stdin === undefined ? 'ignore' : 'pipe';
    this.child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: childEnv(options.env),
      stdio: [stdin, 'pipe', 'pipe'],
      detached: true,
    });
    // A child that ends without reading all its input makes the pipe fail; that is its business.
    this.child.stdin?.on('error', () => undefined);
    if (typeof options.stdin === 'string' && options.stdin !== 'pipe') this.child.stdin!.end(options.stdin);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      this.stderr += `\n[cli-helpers: killed after ${timeoutMs} ms]\n`;
      this.killGroup();
    }, timeoutMs);
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.ended = true;
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  /** Waits until stdout or stderr matches `pattern` (`count` times, for a question asked again); returns the last match. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, count = 1): Promise<RegExpMatchArray> {
    const every = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (;;) {
      const matches = [...this[stream].matchAll(every)];
      if (matches.length >= count) return matches[count - 1]!;
      if (this.ended) throw new Error(`the CLI ended before ${stream} matched ${pattern}:\n${this.stdout}\n${this.stderr}`);
      await sleep(50);
    }
  }

  /** Writes to the child's stdin (started with `stdin: 'pipe'`). */
  write(text: string): void {
    this.child.stdin!.write(text);
  }

  /** Closes the child's stdin: end of input. */
  endInput(): void {
    this.child.stdin?.end();
  }

  /** Sends the process a signal and returns at once: SIGSTOP freezes it mid-work, SIGCONT lets it go on. */
  signal(signal: NodeJS.Signals): void {
    if (!this.ended) this.child.kill(signal);
  }

  /** Sends `signal` to the CLI process itself and waits for it to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<CliResult> {
    if (!this.ended) this.child.kill(signal);
    return this.exited;
  }

  private killGroup(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs `durable-teams <args>` to its end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new CliProcess(args, options).exited;
}

/** The flags that point a command at the suite's Temporal server and a task queue. */
export function temporalFlags(taskQueue: string): string[] {
  return ['--address', testTemporalAddress(), '--task-queue', taskQueue];
}

/** Each stdout line parsed as JSON (a line that is not JSON fails the test). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The `error:` lines of a CLI's stderr. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('error:'));
}

/**
 * The CLI failed the way a user should see it: exit `code`, exactly one `error:` line on stderr
 * and no stack trace. Returns that line.
 */
export function expectCleanFailure(result: CliResult, code = 1): string {
  expect(result).toMatchObject({ code });
  expect(errorLines(result.stderr)).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return errorLines(result.stderr)[0]!;
}

/** Whether Temporal has a workflow with this id (asked of the server directly, not the visibility store). */
export async function runExists(client: TeamClient, runId: string): Promise<boolean> {
  try {
    await client.executionStatus(runId);
    return true;
  } catch (err) {
    if (err instanceof RunNotFoundError) return false;
    throw err;
  }
}

/** Retries `check` until it stops throwing: for Temporal's visibility store, which lags a little. */
export async function eventually<T>(check: () => Promise<T>, attempts = 40): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await check();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await sleep(250);
    }
  }
}

/** A temporary folder for team files; `remove()` deletes it. */
export function tempDir(prefix = 'durable-teams-cli-'): { path: string; write(name: string, text: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, text) {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

export const EXAMPLE_TEAM = join(ROOT, 'examples', 'teams', 'review.yaml');
export const EXAMPLE_SCRIPT = join(ROOT, 'examples', 'scripts', 'review.yaml');

/** A two-agent team that talks until stopped (100 messages): for cancel and stop while a turn is in flight. */
export const ENDLESS_TEAM = `
version: 1
name: endless
pattern: round_robin
model: { model: scripted }
agents:
  - { name: alice, description: Speaks first. }
  - { name: bob, description: Speaks second. }
termination: { type: max_messages, max: 100 }
`;
