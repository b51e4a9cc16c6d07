import express, { Router, type Request, type RequestHandler } from 'express';
import { mayReach, reachesAll } from '../access/access';
import { starterKeyword } from '../visibility/run-attributes';
import { requireBearer, type BearerTokens } from '../access/auth';
import { callerForRequest, type Caller } from '../access/caller';
import { RUN_STATUSES, type RunStatus } from '../core/status';
import { quoted } from '../core/display-text';
import { RunNotFoundError } from '../temporal/errors';
import type { TeamSpec } from '../spec/team';
import type { TeamClient } from '../client/team-client';
import type { Quotas } from '../access/quotas/quotas';
import { answerOfBody } from './answer-body';
import { ConsoleError, consoleErrors } from './api-errors';
import { withOutcome } from './outcome';
import { pageOfRows, type RowFilter } from './run-rows';
import { streamRun } from './run-stream';

export interface ConsoleApiOptions {
  teams: TeamSpec[];
  client: TeamClient;
  tokens: BearerTokens | null;
  /** As the A2A front end's: approvals are decided by operator tokens only. */
  operatorApprovals: boolean;
  /**
   * The front end's quotas, asked before a run is started (requests a minute, runs in progress).
   * The page's reads are not counted: an open page refreshes on its own, and would eat the limit.
   */
  admit?: Quotas['admitCall'];
  /** The front end's limit on event streams per caller, asked before a watch is opened. */
  openStream?: Quotas['openStream'];
}

const PAGE = 25;

/** The runs a caller may see, as a row filter's check and, when it sees only its own, the token visibility filters by. */
const ownRuns = (caller: Caller): Pick<RowFilter, 'reach' | 'startedBy'> => ({
  reach: (startedBy) => mayReach(caller, startedBy),
  ...(!reachesAll(caller) && caller.name ? { startedBy: starterKeyword({ token: caller.name }) } : {}),
});

/** Wraps an async handler so its failure reaches the error handler (Express 5 does it too; this keeps types plain). */
const handle =
  (fn: (req: Request, res: express.Response, caller: Caller) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res, callerForRequest(req)).catch(next);
  };

const text = (value: unknown, field: string, max: number): string => {
  if (value !== undefined && typeof value !== 'string') throw new ConsoleError(400, `${field} must be text`);
  const given = (value ?? '').trim();
  if (given.length > max) throw new ConsoleError(400, `${field} has ${given.length} characters; the limit is ${max}`);
  return given;
};

/**
 * Calls that change something come as JSON, which the page always sends. A page of another site
 * can send a form, text or nothing without asking; JSON it must ask leave for first (CORS), which
 * is never given here. So no page elsewhere can stop, cancel, answer or start a run.
 */
const jsonCallsOnly: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const type = (req.header('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/json') return next();
  next(new ConsoleError(415, `${req.method} ${req.baseUrl}${req.path} takes a JSON body: send Content-Type: application/json`));
};

/**
 * The console's JSON API (mounted at /console/api): what the page reads and does, each call
 * limited to the served teams' runs the caller may reach, as A2A calls are (see access/access.ts).
 */
export function consoleApi(options: ConsoleApiOptions): Router {
  const { client } = options;
  const teams = new Map(options.teams.map((team) => [team.name, team]));
  const api = Router({ caseSensitive: true });
  if (options.tokens) api.use(requireBearer(options.tokens));
  api.use(jsonCallsOnly);
  api.use(express.json({ limit: '256kb' }));

  /**
   * A run the caller may reach, or else 404 `run "<id>" not found`, word for word the same whether
   * the run is someone else's, another front end's, or nobody's: its existence is not revealed.
   */
  const reachable = async (runId: string, caller: Caller) => {
    const notFound = new ConsoleError(404, `run ${quoted(runId)} not found`);
    const peek = await client.peek(runId).catch((err: unknown) => {
      throw err instanceof RunNotFoundError ? notFound : err;
    });
    if (!peek.team || !teams.has(peek.team) || !mayReach(caller, peek.startedBy)) throw notFound;
    return peek;
  };

  api.get(
    '/me',
    handle(async (_req, res, caller) => {
      // Each agent's kind lets the page mark remote calls and nested team turns as such.
      const served = [...teams.values()].map((team) => ({
        name: team.name,
        agents: team.agents.map((agent) => ({ name: agent.name, kind: agent.kind ?? 'llm' })),
      }));
      res.json({ name: caller.name, operator: reachesAll(caller), teams: served });
    }),
  );

  api.get(
    '/runs',
    handle(async (req, res, caller) => {
      const status = typeof req.query.status === 'string' && req.query.status ? req.query.status : undefined;
      if (status && !RUN_STATUSES.includes(status as RunStatus))
        throw new ConsoleError(400, `status "${status}" is not a run status; use one of ${RUN_STATUSES.join(', ')}`);
      const offset = Math.max(0, Number.parseInt(String(req.query.offset ?? '0'), 10) || 0);
      const search = typeof req.query.q === 'string' ? req.query.q.trim() : '';
      // A search names a run id or a context id: the context's runs are its ledger's.
      const ids = search ? new Set([search, ...(await client.contextRuns(search, caller.name))]) : undefined;
      const filter: RowFilter = {
        teams: new Set(teams.keys()),
        status: status as RunStatus | undefined,
        waiting: req.query.waiting === '1',
        ids,
        ...ownRuns(caller),
      };
      const page = await pageOfRows(client.lister, client.taskQueue, filter, offset, PAGE);
      res.json({ runs: await withOutcome(client, page.rows), offset, more: page.more });
    }),
  );

  api.get(
    '/inbox',
    handle(async (_req, res, caller) => {
      const filter: RowFilter = { teams: new Set(teams.keys()), waiting: true, ...ownRuns(caller) };
      const { rows } = await pageOfRows(client.lister, client.taskQueue, filter, 0, 100);
      // The whole question and its deadline are the run's own: asked of each waiting run.
      const items = await Promise.all(
        rows.map(async (row) => {
          const state = await client.getState(row.runId).catch(() => null);
          return { ...row, pending: state?.pendingInput ?? null };
        }),
      );
      res.json({ runs: items });
    }),
  );

  api.post(
    '/runs',
    handle(async (req, res, caller) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const team = teams.get(String(body.team ?? ''));
      if (!team)
        throw new ConsoleError(400, `team "${String(body.team ?? '')}" is not served here; pick one of ${[...teams.keys()].join(', ')}`);
      const task = text(body.task, 'the task', 100_000);
      const admission = options.admit ? await options.admit(caller.starter ?? null, true) : null;
      if (admission?.refused) {
        res.set('Retry-After', String(admission.refused.retryAfterSeconds));
        throw new ConsoleError(429, admission.refused.message);
      }
      try {
        const runId = await new Promise<string>((resolve, reject) => {
          const go = () => void client.start(team, task, { startedBy: caller.starter }).then(resolve, reject);
          if (admission) admission.run(go);
          else go();
        });
        res.status(201).json({ runId });
      } finally {
        admission?.release();
      }
    }),
  );

  api.get(
    '/runs/:id',
    handle(async (req, res, caller) => {
      const runId = String(req.params.id);
      await reachable(runId, caller);
      const [report, attempts] = await Promise.all([client.report(runId, 0), client.attempts(runId)]);
      res.json({
        runId,
        team: report.team,
        status: report.status,
        contextId: report.contextId,
        startedAt: report.startedAt,
        updatedAt: report.updatedAt,
        snapshot: report.snapshot,
        waiting: report.waiting,
        stall: report.stall,
        /** Why its steps failed, attempt by attempt, oldest first (the newest 200). */
        attempts,
      });
    }),
  );

  api.get(
    '/runs/:id/watch',
    handle(async (req, res, caller) => {
      const runId = String(req.params.id);
      await reachable(runId, caller);
      const after = Math.max(0, Number.parseInt(String(req.query.after ?? '0'), 10) || 0);
      const place = options.openStream?.(caller.starter ?? null);
      if (place?.refused) {
        res.set('Retry-After', String(place.refused.retryAfterSeconds));
        throw new ConsoleError(429, place.refused.message);
      }
      try {
        await streamRun(client, runId, after, res, caller.gone);
      } finally {
        place?.release();
      }
    }),
  );

  api.post(
    '/runs/:id/answer',
    handle(async (req, res, caller) => {
      const runId = String(req.params.id);
      const peek = await reachable(runId, caller);
      const answer = answerOfBody(req.body, caller.name ?? 'console');
      if (peek.waiting?.kind === 'approval' && options.operatorApprovals && !reachesAll(caller))
        throw new ConsoleError(403, `run "${runId}" waits for an approval, and only an operator decides approvals here`);
      res.json(await client.answer(runId, answer));
    }),
  );

  api.post(
    '/runs/:id/stop',
    handle(async (req, res, caller) => {
      const runId = String(req.params.id);
      await reachable(runId, caller);
      await client.stop(runId, `stopped from the console${caller.name ? ` by ${caller.name}` : ''}`);
      res.json({ runId, stopping: true });
    }),
  );

  api.post(
    '/runs/:id/cancel',
    handle(async (req, res, caller) => {
      const runId = String(req.params.id);
      await reachable(runId, caller);
      await client.cancel(runId);
      res.json({ runId, canceled: true });
    }),
  );

  api.use((req, _res, next) => next(new ConsoleError(404, `no console API at ${req.method} ${req.path}`)));
  api.use(consoleErrors);
  return api;
}
