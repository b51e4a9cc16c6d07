import { Router } from 'express';
import type { TeamClient } from '../client/team-client';

/** How long /readyz waits for Temporal: well inside the timeouts of probes (Compose, Kubernetes, load balancers). */
export const READINESS_DEADLINE_MS = 2_000;

/**
 * Probes for orchestrators, outside any auth: `/healthz` says the process serves HTTP (restart it
 * when that fails); `/readyz` says it can do its work, i.e. Temporal answers for our namespace
 * (send it no traffic when that fails). A front end keeps no state, so Temporal is all it needs;
 * one that is shutting down is not ready either.
 */
export function healthRoutes(client: TeamClient, draining: () => boolean = () => false): Router {
  const routes = Router({ caseSensitive: true });
  routes.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  routes.get('/readyz', async (_req, res) => {
    // A front end told to stop finishes what it serves, but should be sent nothing new.
    if (draining()) {
      res.status(503).json({ status: 'draining', reason: 'this front end is shutting down' });
      return;
    }
    try {
      await client.checkReachable(READINESS_DEADLINE_MS);
      res.json({ status: 'ready', temporal: 'reachable' });
    } catch (err) {
      const reason = `asking Temporal about namespace "${client.namespace}" failed: ${(err as Error).message.split('\n')[0]}`;
      res.status(503).json({ status: 'not ready', reason });
    }
  });
  return routes;
}
