import { Connection } from '@temporalio/client';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/temporal/dev-server';

/** How often the server is asked whether it still answers, and how long it has to. */
const EVERY_MS = 2_000;
const DEADLINE_MS = 5_000;
/** Failed checks in a row (other than the stuck database, which needs one) before a restart. */
const FAILURES_TO_RESTART = 3;

/**
 * The dev server keeps its runs in SQLite (modernc.org/sqlite) on one connection. A request whose
 * context ends while its query runs interrupts that query (sqlite3_interrupt); under the suite's
 * load, now and then, the connection is left answering every later query with "interrupted (9)",
 * until the process restarts (the same in gotosocial's issue #2728; CI saw it: 277 tests failed
 * after it). The suite's server keeps its database in a file, so this watchdog can restart it, on
 * the same port and file, as soon as it stops answering: runs survive a server restart (see
 * test/durability/server-restart.test.ts), and clients and workers reconnect on their own.
 */
export class ServerWatchdog {
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private checking = false;
  private connection: Connection | null = null;

  constructor(
    public server: DevServer,
    private readonly options: DevServerOptions & { port: number; dbFile: string },
    private readonly say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  get dbFile(): string {
    return this.options.dbFile;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.connection?.close().catch(() => undefined);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      this.connection ??= await Connection.connect({ address: this.server.address, connectTimeout: DEADLINE_MS });
      await this.connection.withDeadline(Date.now() + DEADLINE_MS, () =>
        this.connection!.workflowService.describeNamespace({ namespace: 'default' }),
      );
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      const message = (err as Error).message;
      const stuck = /interrupted \(9\)/.test(message);
      // A restart that fails is said, and tried again at the next check: nothing may escape a timer's callback.
      if (stuck || this.failures >= FAILURES_TO_RESTART)
        await this.restart(message).catch((err: Error) =>
          this.say(`== the suite's Temporal dev server could not be restarted: ${err.message}`),
        );
    } finally {
      this.checking = false;
    }
  }

  private async restart(why: string): Promise<void> {
    const began = Date.now();
    await this.connection?.close().catch(() => undefined);
    this.connection = null;
    await this.server.kill();
    this.server = await startDevServer(this.options);
    this.failures = 0;
    this.say(`== the suite's Temporal dev server stopped answering (${why.slice(0, 200)}); restarted in ${Date.now() - began} ms`);
  }
}
