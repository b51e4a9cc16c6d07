import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChatHandler, UNAUTHORIZED_MESSAGE, type Answer, type StreamAnswer } from './chat-handler';
import { FailureInjector } from './failures';
import { errorBody } from './openai-shapes';
import { embeddingsAnswer } from './embeddings';
import { RequestLog, type RequestFilter, type ServedRequest } from './request-log';
import { parseScript, type Script, type ScriptInput } from './script';

export interface ScriptedModelServerOptions {
  /** The script, as `loadScript` returns it or written inline (validated here either way). */
  script: ScriptInput;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** When set, `/v1` requests without `Authorization: Bearer <apiKey>` get 401. Default: none. */
  apiKey?: string;
  /** Milliseconds before each piece of a streamed reply whose script gives no `tokenDelayMs`. Default 0. */
  tokenDelayMs?: number;
}

export interface ScriptedModelServer {
  /** Give this to the openai client as `baseURL`, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly script: Script;
  /** The chat completion requests received, in order of arrival. */
  readonly requests: readonly ServedRequest[];
  countRequests(filter?: RequestFilter): number;
  /** Clears the request log and the failure counters. */
  reset(): void;
  /** Stops listening and closes every socket, keep-alive ones included, so Jest can exit. */
  close(): Promise<void>;
}

/**
 * Starts an OpenAI-compatible server on loopback that answers from a script (reply-picker.ts
 * says how). Endpoints: `POST /v1/chat/completions`, `POST /v1/embeddings` (deterministic
 * vectors, see embeddings.ts), `GET /v1/models`, and for tests
 * `GET /_scripted/requests` and `POST /_scripted/reset` (never behind the API key).
 */
export async function startScriptedModelServer(options: ScriptedModelServerOptions): Promise<ScriptedModelServer> {
  const script = parseScript(options.script, 'inline script');
  const log = new RequestLog();
  const failures = new FailureInjector(script.failures);
  const timers = new Set<NodeJS.Timeout>();
  const isAuthorized = (req: IncomingMessage) => options.apiKey === undefined || req.headers.authorization === `Bearer ${options.apiKey}`;
  const chat = createChatHandler({ script, log, failures, isAuthorized, tokenDelayMs: options.tokenDelayMs ?? 0 });
  const reset = () => {
    log.clear();
    failures.reset();
  };

  const endpoints: Record<string, { method: string; answer: (req: IncomingMessage, body: string) => Promise<Answer> }> = {
    '/v1/chat/completions': {
      method: 'POST',
      answer: async (req, body) => {
        const { answer, latencyMs, entry } = chat(req, body);
        const gone = () => (entry.abandoned = true);
        req.socket.once('close', gone);
        await delay(latencyMs);
        const done = () => req.socket.off('close', gone);
        // A stream is still being written: the client may yet go away before its end.
        if ('stream' in answer) return { ...answer, onEnd: done, onFirstPiece: () => (entry.firstPieceAt ??= Date.now()) };
        done();
        return answer;
      },
    },
    // Deterministic vectors for memory's similarity search (see embeddings.ts); not in the chat log.
    '/v1/embeddings': {
      method: 'POST',
      answer: async (req, body) =>
        isAuthorized(req) ? embeddingsAnswer(body) : { status: 401, body: errorBody(401, UNAUTHORIZED_MESSAGE) },
    },
    '/v1/models': {
      method: 'GET',
      answer: async (req) =>
        isAuthorized(req) ? { status: 200, body: modelList(script) } : { status: 401, body: errorBody(401, UNAUTHORIZED_MESSAGE) },
    },
    '/_scripted/requests': { method: 'GET', answer: async () => ({ status: 200, body: { requests: log.all } }) },
    '/_scripted/reset': { method: 'POST', answer: async () => (reset(), { status: 200, body: { reset: true } }) },
  };

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const endpoint = endpoints[path];
    let answer: Answer;
    if (!endpoint) {
      answer = { status: 404, body: errorBody(404, `no such endpoint: ${method} ${path}`, 'unknown_url') };
    } else if (endpoint.method !== method) {
      const message = `${path} takes ${endpoint.method}, not ${method}`;
      answer = { status: 405, body: errorBody(405, message, 'method_not_allowed'), headers: { allow: endpoint.method } };
    } else {
      answer = await endpoint.answer(req, body);
    }
    if ('drop' in answer) {
      req.socket.destroy(); // the client sees a network error, as when a proxy or the model host dies
      return;
    }
    if ('stream' in answer) return writeStream(req, res, answer);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  /** Server-sent events as OpenAI sends them, each piece of text after the token delay, then `[DONE]`. */
  async function writeStream(req: IncomingMessage, res: ServerResponse, answer: StreamAnswer): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    let pieces = 0;
    let written = Promise.resolve();
    try {
      for (const chunk of answer.stream) {
        const cut = answer.cutAfter !== null && (chunk.kind === 'finish' || (chunk.kind === 'piece' && pieces === answer.cutAfter));
        if (cut) {
          answer.onEnd?.(); // the server cuts it: not the client going away
          await written; // what was sent arrives, then the connection breaks mid-body, as when a model host dies
          req.socket.destroy();
          return;
        }
        if (chunk.kind === 'piece') {
          await delay(answer.tokenDelayMs);
          pieces++;
        }
        if (res.destroyed) return;
        if (pieces === 1) answer.onFirstPiece?.();
        written = new Promise((resolve) => res.write(`data: ${JSON.stringify(chunk.data)}\n\n`, () => resolve()));
      }
      res.end('data: [DONE]\n\n');
    } finally {
      answer.onEnd?.();
    }
  }

  function delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  const server = createServer((req, res) => {
    respond(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(errorBody(500, `scripted model server bug: ${(err as Error).message}`)));
    });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 0);

  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    port,
    script,
    get requests() {
      return log.all;
    },
    countRequests: (filter) => log.count(filter),
    reset,
    close: () => {
      // Pending latency timers would keep the process alive; their sockets close just below.
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      return closed;
    },
  };
}

function modelList(script: Script) {
  const data = Object.keys(script.agents).map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' }));
  return { object: 'list', data };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
