import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** Largest request body: a page of a history's payloads, with room. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A payload as the Temporal Web UI and CLI send it to a codec endpoint: base64 data and metadata values. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  host?: string;
  port?: number;
  /** Origins allowed to call from a browser (the Web UI's, e.g. http://localhost:8080). */
  corsOrigins?: string[];
  /** When set, every call needs `Authorization: Bearer <token>` (the UI's "pass access token"). */
  token?: string | null;
}

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

class BadRequest extends Error {}

function fromJson(payload: JsonPayload, at: number): Payload {
  if (typeof payload !== 'object' || payload === null) throw new BadRequest(`payloads[${at}] is not an object`);
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    if (typeof value !== 'string') throw new BadRequest(`payloads[${at}].metadata.${key} is not a base64 string`);
    metadata[key] = Buffer.from(value, 'base64');
  }
  if (payload.data !== undefined && typeof payload.data !== 'string') throw new BadRequest(`payloads[${at}].data is not a base64 string`);
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) if (value) metadata[key] = Buffer.from(value).toString('base64');
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('the body is not JSON; send {"payloads": [...]}');
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The codec endpoint for the Temporal Web UI and CLI (`temporal ... --codec-endpoint`): POST
 * /encode and /decode take `{payloads: [...]}` and answer the same with each payload run through
 * the codec, so a person with access to this endpoint reads encrypted histories in the UI while
 * the server stores only ciphertext. CORS for the UI's origin; a bearer token if configured.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const origins = new Set(options.corsOrigins ?? []);
  const expected = options.token ? digest(options.token) : null;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    if (origin && origins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, x-namespace');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('vary', 'origin');
    }
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/encode' && path !== '/decode') return send(404, { error: 'POST /encode or /decode' });
    if (req.method !== 'POST') return send(405, { error: `${path} takes POST` });
    if (expected) {
      const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected))
        return send(401, { error: 'a bearer token is needed (Authorization: Bearer <token>)' });
    }
    try {
      const body = (await bodyOf(req)) as { payloads?: unknown };
      if (!body || !Array.isArray(body.payloads)) throw new BadRequest('expected {"payloads": [...]}');
      const payloads = body.payloads.map((p, i) => fromJson(p as JsonPayload, i));
      const done = path === '/encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      send(200, { payloads: done.map(toJson) });
    } catch (err) {
      // A bad request, or a payload this codec cannot open (an unknown key id: named, the key never).
      send(400, { error: (err as Error).message });
    }
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
