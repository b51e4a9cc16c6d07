import { bearerTokens } from '../../src/access/auth';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { exampleTeam } from '../helpers/teams';

/**
 * The probes of the A2A front end, as an orchestrator sees them: liveness needs only the process,
 * readiness needs Temporal to answer for the front end's namespace. Both stay open under bearer
 * auth, since probes carry no token.
 */

const TOKEN = 'probe-test-token-5e0c2a91d7f4';

async function frontEnd(client: TeamClient): Promise<A2AServer> {
  return startA2AServer({
    teams: [exampleTeam()],
    client,
    port: 0,
    version: '0.0.0-test',
    tokens: bearerTokens([`ops=${TOKEN}`], 'test'),
    secrets: null,
  });
}

async function probe(server: A2AServer, path: '/healthz' | '/readyz'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('front end probes', () => {
  it('is live and ready while its Temporal server answers, without a token; not ready once that server is gone, and still live', async () => {
    // A server of its own, so that stopping it disturbs no other test.
    let temporal: DevServer | null = await startDevServer({ logLevel: 'error' });
    const client = await TeamClient.connect({ address: temporal.address, namespace: 'default', taskQueue: uniqueTaskQueue('probes') });
    const server = await frontEnd(client);
    try {
      expect(await probe(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await probe(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready', temporal: 'reachable' } });
      // The same front end refuses its A2A methods without the token: the probes are the exception.
      expect((await fetch(`${server.url}/teams/review/a2a/rest/tasks`)).status).toBe(401);

      await temporal.kill();
      temporal = null;
      const ready = await probe(server, '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('not ready');
      expect(ready.body.reason).toMatch(/^asking Temporal about namespace "default" failed: .*(UNAVAILABLE|DEADLINE_EXCEEDED)/);
      expect(await probe(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    } finally {
      await server.close();
      await client.close();
      await temporal?.stop();
    }
  });

  it('is not ready on a namespace the Temporal server does not have', async () => {
    const client = await TeamClient.connect({
      address: testTemporalAddress(),
      namespace: 'no-such-namespace',
      taskQueue: uniqueTaskQueue('probes'),
    });
    const server = await frontEnd(client);
    try {
      const ready = await probe(server, '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.reason).toMatch(/^asking Temporal about namespace "no-such-namespace" failed: .*NOT_FOUND/);
    } finally {
      await server.close();
      await client.close();
    }
  });
});
