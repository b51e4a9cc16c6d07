import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How long requests in flight may take to finish once the front end is told to stop. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * The requests a server is serving, so that it can stop the way a process behind a load balancer
 * should: say it is no longer ready, take no new connections, let the requests in flight finish
 * (a blocking SendMessage, say) within a grace time, and end event streams at once. A stream only
 * follows a run that lives on in Temporal, so its client subscribes again at another front end
 * and misses nothing.
 */
export class RequestTracker {
  private readonly inFlight = new Set<ServerResponse>();
  private stopping = false;

  get draining(): boolean {
    return this.stopping;
  }

  /** Wraps the server's request listener so each response is known until it ends. */
  track(listener: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      this.inFlight.add(res);
      res.once('close', () => this.inFlight.delete(res));
      // A connection kept alive after its response would otherwise hold close() open.
      if (this.stopping) res.setHeader('connection', 'close');
      listener(req, res);
    };
  }

  /**
   * Stops the server: resolves once every request has finished, or the grace time is up. With a
   * drain delay it first goes on serving for that long while /readyz says it is draining, so that
   * a load balancer that probes every few seconds has stopped sending to it before it stops listening.
   */
  async close(server: Server, graceMs = DEFAULT_SHUTDOWN_GRACE_MS, drainDelayMs = 0): Promise<void> {
    this.stopping = true;
    if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const res of this.inFlight) {
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) res.socket?.destroy();
    }
    let timer: NodeJS.Timeout | undefined;
    const graceUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([closed, graceUp]);
    clearTimeout(timer);
    // Whatever still runs after the grace time is cut off; its client retries elsewhere.
    server.closeAllConnections();
    await closed;
  }
}
