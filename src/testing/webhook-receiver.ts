import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The status it was answered with. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every POST, failed ones included, in order. */
  calls: ReceivedCall[];
  /** The bodies of the POSTs answered 2xx. */
  delivered(): unknown[];
  /** True while the receiver does not listen: connections to it are refused. */
  readonly refusing: boolean;
  /** Stops listening (connections are refused from now on) until `accept()`. */
  refuse(): Promise<void>;
  /** Listens again, on the same port. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** How many POSTs to answer with `failStatus` first (a receiver that is down for a while). */
  failFirst?: number;
  /** Default 503. */
  failStatus?: number;
  /**
   * After the last of the `failFirst` failures, stop listening: the receiver then refuses
   * connections until `accept()` is called (a receiver that went away altogether).
   */
  refuseAfterFailures?: boolean;
}

/**
 * A webhook receiver on loopback for tests: records every POST and answers `failFirst` of them
 * with `failStatus` (a receiver that is down for a while), the rest with 204.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  let failuresLeft = options.failFirst ?? 0;
  let refusing = false;
  let closed: Promise<void> = Promise.resolve();
  const server = createServer((req, res) => {
    // A kept-alive connection from before the receiver went down: it is cut, as a refusal would be.
    if (refusing) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const status = failuresLeft > 0 ? (options.failStatus ?? 503) : 204;
      if (failuresLeft > 0) failuresLeft -= 1;
      const goDown = options.refuseAfterFailures === true && status !== 204 && failuresLeft === 0 && !refusing;
      calls.push({ at: Date.now(), path: req.url ?? '/', headers: req.headers, body, status });
      // Going down: this answer closes its connection, and no new one is taken.
      res.writeHead(status, goDown ? { connection: 'close' } : {}).end();
      if (goDown) void refuse();
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  function refuse(): Promise<void> {
    if (refusing) return closed;
    refusing = true;
    closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return closed;
  }
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/runs`,
    calls,
    delivered: () => calls.filter((c) => c.status < 300).map((c) => c.body),
    get refusing() {
      return refusing;
    },
    refuse,
    async accept() {
      if (!refusing) return;
      await closed;
      await listen(port);
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        if (refusing) return void closed.then(resolve);
        refusing = true;
        server.close(() => resolve());
      }),
  };
}
