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
  close(): Promise<void>;
}

/**
 * A webhook receiver on loopback for tests: records every POST and answers `failFirst` of them
 * with `failStatus` (a receiver that is down for a while), the rest with 204.
 */
export async function startWebhookReceiver(options: { failFirst?: number; failStatus?: number } = {}): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const server = createServer((req, res) => {
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
      calls.push({ at: Date.now(), path: req.url ?? '/', headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/runs`,
    calls,
    delivered: () => calls.filter((c) => c.status < 300).map((c) => c.body),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
