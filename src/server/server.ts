import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { A2A_ERROR_CODE, ContentTypeNotSupportedError, RequestMalformedError } from '@a2a-js/sdk/errors';
import { agentCardHandler, jsonRpcHandler, restHandler } from '@a2a-js/sdk/server/express';
import { targetPolicyFromEnv, type TargetPolicy } from '../http/outbound-target';
import { refuseCrossSite } from '../http/cross-site';
import { answerOnlyOurHosts } from '../http/host-check';
import type { SecretBox } from '../secrets/sealed';
import type { TeamSpec } from '../spec/team';
import type { TeamClient } from '../client/team-client';
import { MAX_TASK_CHARS } from '../client/team-client';
import { requireBearer, type BearerTokens } from '../access/auth';
import { callerForRequest } from '../access/caller';
import { DEFAULT_SHUTDOWN_GRACE_MS, RequestTracker } from './graceful-close';
import { healthRoutes } from './health';
import { traceRequests } from './request-trace';
import { requestLog, type RequestLogLine } from './request-log';
import { SlowReaders, type SlowReaderOptions } from './slow-readers';
import { requestIds } from '../faults/request-id';
import { stderrFaultLog, type FaultLog } from '../faults/faults';
import { guardFaults } from './fault-guard';
import { jsonRpcFaults, lastResort } from './fault-responses';
import { wellFormedPaths } from './path-check';
import type { CallGate } from '../a2a/grpc-calls';
import { startGrpcServer, type GrpcServer, type GrpcTeam } from '../a2a/grpc-server';
import { CARD_PATH, JSONRPC_PATH, REST_PATH, teamCard, teamPath } from '../a2a/card';
import { dualCardHandler } from '../a2a/dual-card';
import { DEFAULT_FILE_POLICY, type FilePolicy } from '../a2a/file-policy';
import { FILES_PATH, serveFiles } from '../a2a/file-route';
import { TeamRequestHandler } from '../a2a/request-handler';
import { checkJsonRpcRequest } from '../a2a/input/json-rpc';
import { checkRestRequest } from '../a2a/input/rest';
import { Quotas, type QuotaOptions } from '../access/quotas/quotas';
import { CONSOLE_PATH, consoleRoutes } from '../console-api/routes';

/** Connections the kernel queues before the front end accepts them (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 4_096;
export interface A2AServerOptions {
  teams: TeamSpec[];
  client: TeamClient;
  /** Where clients reach us; default http://<host>:<port> once listening. */
  publicUrl?: string;
  host?: string;
  port?: number;
  version: string;
  /** Off when null: fine on 127.0.0.1, not beyond. */
  tokens: BearerTokens | null;
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Largest message text, in characters. Default the task limit (100,000). */
  maxMessageChars?: number;
  secrets: SecretBox | null;
  /** Seconds clients may cache a card. Default 300. */
  cardMaxAge?: number;
  /** Called once per request served, when its response ends (see request-log.ts). */
  requestLog?: (line: RequestLogLine) => void;
  /** Where a request's unforeseen failure is logged, once, under its id (see faults.ts). Default: a JSON line on stderr. */
  faultLog?: FaultLog;
  /**
   * Which push URLs may point at loopback, private, link-local or other inward addresses.
   * Default: what DURABLE_TEAMS_WEBHOOK_ALLOW names in this process's environment.
   */
  webhookPolicy?: TargetPolicy;
  /** With tokens: approvals are answered by `operator` tokens only, not by the task's owner. */
  operatorApprovals?: boolean;
  /** Which files a message may carry, and how big. Default: DEFAULT_FILE_POLICY. */
  files?: FilePolicy;
  /** Requests per minute, runs in progress and event streams per caller (see quotas/quotas.ts). Default: no limits. */
  quotas?: QuotaOptions;
  /** When to cut the connection of a client that does not read its answer (see slow-readers.ts). Default: 256 KiB unread for 20 s. */
  slowReaders?: SlowReaderOptions;
  /** Serve the gRPC binding too, on this port of `host` (0: a free one). Off when undefined. */
  grpcPort?: number;
  /** Where clients reach the gRPC endpoint (`host:port`), when not where it listens (behind a proxy). */
  grpcPublicTarget?: string;
  /** Host names answered besides loopback ones and the public URL's (see http/host-check.ts). Default: none. */
  allowedHosts?: string[];
  /** Origins whose pages may make calls that change things, besides our own (see http/cross-site.ts). Default: none. */
  allowedOrigins?: string[];
}

export interface A2AServer {
  /** The base URL, e.g. http://127.0.0.1:41241 (the public URL when one was given). */
  url: string;
  /** Where this process listens, whatever the public URL says. */
  listenUrl: string;
  /** Each team's base URL (its card is at <url>/.well-known/agent-card.json). */
  teamUrls: Record<string, string>;
  /** The gRPC endpoint's target as the cards declare it (`127.0.0.1:50051`), when it is served. */
  grpcTarget?: string;
  app: Express;
  /**
   * Stops serving: /readyz answers 503 (and for `drainDelayMs`, default 0, all else is still
   * served), then no new connections are taken, event streams end, and requests in flight get
   * `graceMs` (default 10 s) to finish before they are cut off.
   */
  close(options?: { graceMs?: number; drainDelayMs?: number }): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request body, parsed here rather than by the SDK so the size limit is ours and an
 * oversized body is told as -32602 with the limit, not as Express's bare 413 page.
 */
function bodyParser(limit: number, transport: 'jsonrpc' | 'rest'): (RequestHandler | ErrorRequestHandler)[] {
  const tooLarge: ErrorRequestHandler = (err: { type?: string; length?: number }, _req, res, next) => {
    if (err?.type !== 'entity.too.large') return next(err);
    const message = `the request body has ${err.length ?? 'more than'} bytes; the limit is ${limit} bytes (--max-body-bytes)`;
    const details = [new RequestMalformedError(message).toErrorInfo()];
    if (transport === 'jsonrpc')
      res.status(200).json({ jsonrpc: '2.0', id: null, error: { code: A2A_ERROR_CODE.INVALID_PARAMS, message, data: details } });
    else res.status(413).json({ error: { code: 413, status: 'INVALID_ARGUMENT', message, details } });
  };
  const malformed: ErrorRequestHandler = (err: { type?: string }, _req, res, next) => {
    if (err?.type !== 'entity.parse.failed') return next(err);
    const message = 'the request body is not valid JSON';
    const details = [{ ...new RequestMalformedError(message).toErrorInfo(), reason: 'PARSE_ERROR' }];
    if (transport === 'jsonrpc')
      res.status(200).json({ jsonrpc: '2.0', id: null, error: { code: A2A_ERROR_CODE.PARSE_ERROR, message, data: details } });
    else res.status(400).json({ error: { code: 400, status: 'INVALID_ARGUMENT', message, details } });
  };
  return [express.json({ limit }), tooLarge, malformed];
}

/** No response of ours is to be read as anything but what its Content-Type says (JSON, mostly). */
const noSniffing: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

/** HTTP+JSON bodies must be JSON: anything else is 415, as the spec maps -32005 over REST. */
const restJsonOnly: RequestHandler = (req, res, next) => {
  const type = (req.header('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
  const hasBody = Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
  if (!hasBody || type === 'application/json' || type === 'application/a2a+json') return next();
  const message = `Content-Type "${req.header('content-type') ?? ''}" is not supported; send application/json`;
  res.status(415).json({
    error: { code: 415, status: 'INVALID_ARGUMENT', message, details: [new ContentTypeNotSupportedError(message).toErrorInfo()] },
  });
};

/**
 * HTTP+JSON responses as `application/json` (spec §11.1), which the SDK writes as
 * `application/a2a+json`; a client that names a2a+json in Accept or Content-Type keeps it.
 */
const restJsonResponses: RequestHandler = (req, res, next) => {
  if (/application\/a2a\+json/i.test(`${req.header('accept') ?? ''} ${req.header('content-type') ?? ''}`)) return next();
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name: string, value: number | string | readonly string[]) => {
    const plain = name.toLowerCase() === 'content-type' && typeof value === 'string' && /^application\/a2a\+json/i.test(value);
    return setHeader(name, plain ? 'application/json; charset=utf-8' : value);
  };
  next();
};

export function createA2AApp(
  options: A2AServerOptions & {
    publicUrl: string;
    draining?: () => boolean;
    grpc?: { target: string; serve(teams: GrpcTeam[], gate?: CallGate): void };
  },
): {
  app: Express;
  teamUrls: Record<string, string>;
  quotas: Quotas;
} {
  const app = express();
  app.disable('x-powered-by');
  // Team names are matched as written: /teams/Review/ is not the team "review" (Express ignores case by default).
  app.set('case sensitive routing', true);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const auth: RequestHandler[] = options.tokens ? [requireBearer(options.tokens)] : [];
  const userBuilder = async (req: express.Request) => callerForRequest(req);
  const teamUrls: Record<string, string> = {};
  const quotas = new Quotas(options.quotas ?? {}, options.client);
  const client = options.client;

  app.use(requestIds(options.faultLog ?? stderrFaultLog), noSniffing);
  if (options.requestLog) app.use(requestLog(options.requestLog));
  app.use(wellFormedPaths);
  app.use(healthRoutes(options.client, options.draining));
  // What a browser may be made to do by a page elsewhere: reach us under another name (DNS
  // rebinding), and make calls that change things. Probes above answer whatever the Host.
  const hostCheck = answerOnlyOurHosts({
    bound: options.host ?? '127.0.0.1',
    publicUrl: options.publicUrl,
    allowed: options.allowedHosts ?? [],
  });
  if (hostCheck) app.use(hostCheck);
  app.use(refuseCrossSite({ publicUrl: options.publicUrl, allowed: options.allowedOrigins ?? [] }));

  const webhookPolicy = options.webhookPolicy ?? targetPolicyFromEnv();
  const grpcTeams: GrpcTeam[] = [];
  options.teams.forEach((team, i) => {
    const card = teamCard(team, {
      publicUrl: options.publicUrl,
      version: options.version,
      bearerAuth: options.tokens !== null,
      grpc: options.grpc && { target: options.grpc.target, legacy: i === 0 },
    });
    const handler = new TeamRequestHandler({
      team,
      client,
      card,
      maxMessageChars: options.maxMessageChars ?? MAX_TASK_CHARS,
      secrets: options.secrets,
      webhookPolicy,
      operatorApprovals: options.operatorApprovals === true,
      files: options.files ?? DEFAULT_FILE_POLICY,
      filesAt: `${options.publicUrl}${teamPath(team)}${FILES_PATH}`,
    });
    // What the SDK's transports call: an unforeseen error of the handler becomes a logged InternalFault.
    const guarded = guardFaults(handler);
    grpcTeams.push({ name: team.name, handler: guarded });
    const base = teamPath(team);
    app.use(`${base}${FILES_PATH}`, ...auth, quotas.limitRequests('rest'), serveFiles(handler));
    const lastModified = new Date().toUTCString(); // the cards are built once, now
    const cardHeaders: RequestHandler = (_req, res, next) => {
      res.set('Last-Modified', lastModified);
      next();
    };
    const cards = agentCardHandler({
      agentCardProvider: handler,
      cache: { maxAge: options.cardMaxAge ?? 300 },
      legacyCompat: { enabled: true },
    });
    // No A2A-Version: one card for v0.3 and v1.0 readers both (see dual-card.ts).
    const dual = dualCardHandler(card, options.cardMaxAge ?? 300);
    app.use(`${base}${CARD_PATH}`, cardHeaders, dual, cards);
    // The root card is the first team's, for clients that only know the host.
    if (i === 0) app.use(CARD_PATH, cardHeaders, dual, cards);
    app.use(
      `${base}${JSONRPC_PATH}`,
      ...auth,
      ...bodyParser(limit, 'jsonrpc'),
      traceRequests('jsonrpc'),
      quotas.limitRequests('jsonrpc'),
      checkJsonRpcRequest(),
      quotas.limitStreams('jsonrpc'),
      quotas.limitRuns('jsonrpc'),
      jsonRpcHandler({ requestHandler: guarded, userBuilder, legacyCompat: { enabled: true } }),
      jsonRpcFaults,
    );
    app.use(
      `${base}${REST_PATH}`,
      ...auth,
      restJsonOnly,
      restJsonResponses,
      ...bodyParser(limit, 'rest'),
      traceRequests('rest'),
      quotas.limitRequests('rest'),
      checkRestRequest(),
      quotas.limitStreams('rest'),
      quotas.limitRuns('rest'),
      restHandler({ requestHandler: guarded, userBuilder, legacyCompat: { enabled: true } }),
    );
    // With the trailing slash, clients resolve the card path under the team, not beside it.
    teamUrls[team.name] = `${options.publicUrl}${base}/`;
  });
  // gRPC calls come through no Express middleware: the same quotas are checked for each call.
  options.grpc?.serve(grpcTeams, (starter, startsRun, opensStream) => quotas.admitCall(starter, startsRun, opensStream));

  // The web console: its page and its JSON API, under the same tokens (see src/console-api/).
  app.use(
    CONSOLE_PATH,
    consoleRoutes({
      teams: options.teams,
      client,
      tokens: options.tokens,
      operatorApprovals: options.operatorApprovals === true,
      admit: (starter, startsRun) => quotas.admitCall(starter, startsRun),
      openStream: (starter) => quotas.openStream(starter),
    }),
  );

  app.use(lastResort);
  return { app, teamUrls, quotas };
}

/** Starts the A2A front end; resolves once it listens. */
export async function startA2AServer(options: A2AServerOptions): Promise<A2AServer> {
  const host = options.host ?? '127.0.0.1';
  const holder: { app?: Express } = {};
  const tracker = new RequestTracker();
  const slowReaders = new SlowReaders(options.slowReaders);
  const server: Server = await new Promise((resolve, reject) => {
    // The app is built once the port is known, since the cards carry absolute URLs.
    const s = createServer(
      tracker.track((req, res) => {
        slowReaders.watch(req, res);
        holder.app!(req, res);
      }),
    );
    s.once('error', reject);
    // A thousand subscribers may connect at once: Node's default backlog (511) overflows, and the
    // kernel resets connections left waiting while the event loop works through the joins.
    s.listen(options.port ?? 41241, host, LISTEN_BACKLOG, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const publicUrl = (options.publicUrl ?? `http://${hostForUrl}:${port}`).replace(/\/+$/, '');
  let grpc: GrpcServer | undefined;
  try {
    grpc =
      options.grpcPort === undefined
        ? undefined
        : await startGrpcServer({
            tokens: options.tokens,
            host,
            port: options.grpcPort,
            maxMessageBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
            faultLog: options.faultLog,
          });
  } catch (err) {
    server.close();
    throw err;
  }
  const grpcTarget = grpc && (options.grpcPublicTarget ?? grpc.target);
  const { app, teamUrls, quotas } = createA2AApp({
    ...options,
    publicUrl,
    draining: () => tracker.draining,
    grpc: grpc && grpcTarget ? { target: grpcTarget, serve: (teams, gate) => grpc.serve(teams, gate) } : undefined,
  });
  holder.app = app;
  return {
    url: publicUrl,
    listenUrl: `http://${hostForUrl}:${port}`,
    teamUrls,
    grpcTarget,
    app,
    close: async (closeOptions) => {
      const graceMs = closeOptions?.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      const drainDelayMs = closeOptions?.drainDelayMs ?? 0;
      // The gRPC endpoint keeps serving through the drain delay too, then both stop together.
      const grpcClosed = grpc && new Promise((resolve) => setTimeout(resolve, drainDelayMs)).then(() => grpc.close(graceMs));
      await Promise.all([tracker.close(server, graceMs, drainDelayMs), grpcClosed]);
      slowReaders.stop();
      await quotas.close();
    },
  };
}
