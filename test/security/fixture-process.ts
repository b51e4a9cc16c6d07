import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testTemporalAddress } from '../../src/testing/temporal-env';
import { ROOT } from '../helpers/teams';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'fault-front-end.js');

/** A line the front end logged (stderr), parsed: a request line, a fault line, or anything else it wrote. */
export type LogLine = Record<string, unknown> & { message?: string; requestId?: string; error?: { message?: string } };

/**
 * The fault-injecting front end (test/fixtures/fault-front-end.js) as a process of its own, on the
 * suite's dev server and the given task queue. It is killed after `timeoutMs` whatever happens.
 */
export class FixtureProcess {
  stdout = '';
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly child: ChildProcess;
  private readonly ended: Promise<void>;

  constructor(taskQueue: string, teamFile: string, timeoutMs = 180_000) {
    if (!existsSync(join(ROOT, 'dist', 'src', 'server', 'server.js')))
      throw new Error('the front end is not built: run `npm run build` first');
    this.child = spawn(process.execPath, [FIXTURE], {
      cwd: ROOT,
      env: {
        ...process.env,
        DURABLE_TEAMS_TEST_ADDRESS: testTemporalAddress(),
        FIXTURE_TASK_QUEUE: taskQueue,
        FIXTURE_TEAM_FILE: teamFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    this.ended = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.exit = { code, signal };
        resolve();
      }),
    );
  }

  /** Where it listens, once it says so. */
  async started(): Promise<{ url: string; teamUrl: string; grpcTarget: string }> {
    for (;;) {
      const line = this.stdout.split('\n').find((l) => l.startsWith('{'));
      if (line) return JSON.parse(line) as { url: string; teamUrl: string; grpcTarget: string };
      if (this.exit) throw new Error(`the fixture ended before it listened:\n${this.stderr}`);
      await sleep(50);
    }
  }

  /** Every JSON line it wrote to stderr. */
  logLines(): LogLine[] {
    return this.stderr.split('\n').flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as LogLine] : [];
      } catch {
        return [];
      }
    });
  }

  /** Waits (bounded) until a logged line passes `check`; fails naming what was logged when none does. */
  async logged(what: string, check: (line: LogLine) => boolean, attempts = 200): Promise<LogLine> {
    for (let i = 0; i < attempts; i += 1) {
      const line = this.logLines().find(check);
      if (line) return line;
      if (this.exit) break;
      await sleep(50);
    }
    throw new Error(
      `no log line ${what}; the fixture ${this.exit ? `ended (${JSON.stringify(this.exit)})` : 'runs'}, stderr:\n${this.stderr.slice(-4000)}`,
    );
  }

  async stop(): Promise<void> {
    if (!this.exit) this.child.kill('SIGTERM');
    await this.ended;
  }
}
