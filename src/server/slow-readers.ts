import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface SlowReaderOptions {
  /** Bytes of a response this process may hold unsent for its client. Default 256 KiB. */
  maxUnsentBytes?: number;
  /** How long a response may stay over `maxUnsentBytes` before its connection is cut. Default 20 s. */
  graceMs?: number;
  /** Where the line about connections cut goes. Default stderr. */
  log?: (line: string) => void;
}

export const DEFAULT_MAX_UNSENT_BYTES = 256 * 1024;
export const DEFAULT_SLOW_READER_GRACE_MS = 20_000;

/**
 * Cuts the connections of clients that stop reading. A response waits in this process for the
 * bytes its client has not taken (once the kernel's buffers are full): a client that never reads
 * a large answer, or stops reading an event stream that goes on, would hold that memory and its
 * socket for as long as it likes. A response whose unsent bytes stay above the bound for the
 * whole grace time has its connection reset (a closed socket would wait on the client to take
 * what is queued), and one line tells how many were cut at once, naming no caller's data.
 * A client that reads, however slowly, stays below the bound or comes back under it in time.
 */
export class SlowReaders {
  private readonly maxUnsent: number;
  private readonly graceMs: number;
  /** Each response in flight, and since when it has been over the bound (null: it is not). */
  private readonly watched = new Map<ServerResponse, { path: string; socket: Socket; over: number | null }>();
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    options: SlowReaderOptions = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.maxUnsent = options.maxUnsentBytes ?? DEFAULT_MAX_UNSENT_BYTES;
    this.graceMs = options.graceMs ?? DEFAULT_SLOW_READER_GRACE_MS;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Watches the response until it closes. */
  watch(req: IncomingMessage, res: ServerResponse): void {
    this.watched.set(res, { path: `${req.method} ${(req.url ?? '').split('?', 1)[0]}`, socket: req.socket, over: null });
    res.once('close', () => {
      this.watched.delete(res);
      if (this.watched.size === 0) this.stop();
    });
    // Checked a few times per grace time; the timer never keeps the process up.
    this.timer ??= setInterval(() => this.check(), Math.max(50, Math.min(1_000, this.graceMs / 4))).unref();
  }

  /** Stops watching (the server is closing). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const now = this.clock();
    const cut: string[] = [];
    for (const [res, state] of this.watched) {
      // Bytes written and not yet taken by the kernel: the response's own, and its socket's
      // (a response queued behind another on its connection has only its own).
      if (res.writableLength <= this.maxUnsent) state.over = null;
      else if (state.over === null) state.over = now;
      else if (now - state.over >= this.graceMs) {
        cut.push(state.path);
        this.watched.delete(res);
        // A reset, not a close: closing would still wait for the client to take what is queued.
        if (!state.socket.destroyed) state.socket.resetAndDestroy();
      }
    }
    if (cut.length)
      this.log(
        `cut ${cut.length} connection(s) whose client left more than ${this.maxUnsent} bytes of its answer unread for ${this.graceMs / 1000} s (first: ${cut[0]})`,
      );
    if (this.watched.size === 0) this.stop();
  }
}
