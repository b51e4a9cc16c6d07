import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * A forwarding proxy in front of a real A2A server, for tests: it records which JSON-RPC calls
 * reached the server (and each sent message's id), and can answer some calls 503 itself, as a
 * flaky network or load balancer would, before they reach the server.
 */
export interface A2AProxy {
  url: string;
  /** Where to forward; set once the server behind is up. */
  target: string;
  /** Answer every Nth POST to an A2A endpoint with 503 (0: never). */
  fail503Every: number;
  /** JSON-RPC calls that reached the server: method, when (Date.now()) and, for sends, the message id; CancelTask's task id. */
  forwarded: { method: string; at: number; messageId?: string; taskId?: string }[];
  refused: number;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startA2AProxy(): Promise<A2AProxy> {
  let posts = 0;
  const proxy: A2AProxy = {
    url: '',
    target: '',
    fail503Every: 0,
    forwarded: [],
    refused: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const a2aPost = req.method === 'POST' && (req.url ?? '').includes('/a2a/');
      if (a2aPost && proxy.fail503Every > 0 && ++posts % proxy.fail503Every === 0) {
        proxy.refused += 1;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('try again');
        return;
      }
      if (a2aPost) {
        try {
          const call = JSON.parse(body.toString('utf8')) as { method?: string; params?: { id?: string; message?: { messageId?: string } } };
          proxy.forwarded.push({
            method: call.method ?? '?',
            at: Date.now(),
            ...(call.params?.message?.messageId ? { messageId: call.params.message.messageId } : {}),
            ...(call.method === 'CancelTask' && call.params?.id ? { taskId: call.params.id } : {}),
          });
        } catch {
          proxy.forwarded.push({ method: '(not JSON)', at: Date.now() });
        }
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers.set(name, value);
      const upstream = await fetch(`${proxy.target}${req.url ?? ''}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const out: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding') out[name] = value;
      });
      res.writeHead(upstream.status, out);
      // Streamed as it comes, so a server-sent-events answer (SubscribeToTask) reaches the caller event by event.
      if (upstream.body) Readable.fromWeb(upstream.body as WebReadableStream).pipe(res);
      else res.end();
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
