import { request } from 'node:http';
import { join } from 'node:path';
import { ClientFactory, JsonRpcTransportFactory, RestTransportFactory } from '@a2a-js/sdk/client';
import { bearerTokens } from '../../src/access/auth';
import { QUOTA_ERROR_CODE } from '../../src/access/quotas/quotas';
import { secondsUntilAllowed } from '../../src/access/quotas/request-counter';
import { loadTeamFile } from '../../src/files/team-file';
import type { TeamSpec } from '../../src/spec/team';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { a2aError, startA2AEnv, type A2AEnv } from './a2a-env';
import { withBearer } from './callers';

/**
 * Requests per minute per caller (issue 20): the token's name, or the address without tokens.
 * The limiter's clock is this test's, moved forward instead of waited for.
 */

const ALICE = 'alice-token-3b9f1c27e5d84a06b1f2';
const BOB = 'bob-token-77c2e0a9d41f4b6e8a03';
const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

interface Answer {
  status: number;
  retryAfter: string | null;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A POST or GET over loopback, optionally from another loopback address (127.0.0.2: another caller without tokens). */
function call(url: string, options: { method?: string; body?: unknown; token?: string; from?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        localAddress: options.from,
        headers: {
          'A2A-Version': '1.0',
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
            body: JSON.parse(text),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const getTask = (id: number) => ({ jsonrpc: '2.0', id, method: 'GetTask', params: { id: 'no-such-task' } });

describe('requests per minute per caller', () => {
  let now = 1_000 * 60_000; // the start of a window
  let env: A2AEnv;
  let base: string;
  let open: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam()], REVIEW_SCRIPT, {
      tokens: bearerTokens([`alice=${ALICE}`, `bob=${BOB}`], 'test'),
      quotas: { maxRequestsPerMinute: 3, clock: () => now },
    });
    base = env.server.teamUrls['review-approval']!;
    open = await startA2AEnv([approvalTeam()], REVIEW_SCRIPT, { quotas: { maxRequestsPerMinute: 2, clock: () => now } });
  });
  afterAll(async () => {
    await env?.stop();
    await open?.stop();
  });

  it('refuses a caller over the limit with 429 and Retry-After on JSON-RPC and REST, leaves another caller be, and lets it in again later', async () => {
    // The card and the health checks are not counted.
    for (let i = 0; i < 5; i++) {
      expect((await call(`${base}.well-known/agent-card.json`)).status).toBe(200);
      expect((await call(`${env.server.url}/healthz`)).status).toBe(200);
    }
    for (let i = 1; i <= 3; i++) {
      const ok = await call(`${base}a2a/jsonrpc`, { body: getTask(i), token: ALICE });
      expect(ok.status).toBe(200);
      expect(ok.body.error.code).toBe(-32001); // task not found: served, not refused
    }

    // JSON-RPC: 429, the request's id, our code, a message naming the caller and the limit, an ErrorInfo.
    const refused = await call(`${base}a2a/jsonrpc`, { body: getTask(4), token: ALICE });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: {
        code: QUOTA_ERROR_CODE,
        message: expect.stringMatching(/caller "alice" is over its limit of 3 requests per minute.*retry after \d+ s/),
        data: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'a2a-protocol.org',
            metadata: { retryAfterSeconds: refused.retryAfter, limit: '3', caller: 'alice' },
          },
        ],
      },
    });

    // REST: 429 in the shape of the server's other REST errors.
    const rest = await call(`${base}a2a/rest/tasks/no-such-task`, { token: ALICE });
    expect(rest.status).toBe(429);
    expect(Number(rest.retryAfter)).toBeGreaterThan(0);
    expect(rest.body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: expect.stringContaining('"alice"'),
      details: [expect.objectContaining({ reason: 'RATE_LIMIT_EXCEEDED' })],
    });

    // The SDK's clients show the caller our message (and, over JSON-RPC, our code), not an HTTP error.
    const rpcClient = await new ClientFactory({
      transports: [new JsonRpcTransportFactory({ fetchImpl: withBearer(ALICE) })],
    }).createFromUrl(base);
    const seen = await a2aError(rpcClient.getTask({ tenant: '', id: 'no-such-task', historyLength: 0 }));
    expect(seen.code).toBe(QUOTA_ERROR_CODE);
    expect(seen.message).toMatch(/"alice" is over its limit of 3 requests per minute/);
    const restClient = await new ClientFactory({
      transports: [new RestTransportFactory({ fetchImpl: withBearer(ALICE) })],
    }).createFromUrl(base);
    await expect(restClient.getTask({ tenant: '', id: 'no-such-task', historyLength: 0 })).rejects.toThrow(
      /"alice" is over its limit of 3 requests per minute/,
    );

    // Bob has his own count.
    expect((await call(`${base}a2a/jsonrpc`, { body: getTask(5), token: BOB })).status).toBe(200);

    // Two windows on, alice's requests have faded: she is served again.
    now += 2 * 60_000;
    const again = await call(`${base}a2a/jsonrpc`, { body: getTask(6), token: ALICE });
    expect(again.status).toBe(200);
    expect(again.body.error.code).toBe(-32001);
  });

  it('without tokens counts per address: one address over its limit, another loopback address still served', async () => {
    const url = `${open.server.teamUrls['review-approval']!}a2a/jsonrpc`;
    expect((await call(url, { body: getTask(1) })).status).toBe(200);
    expect((await call(url, { body: getTask(2) })).status).toBe(200);
    const refused = await call(url, { body: getTask(3) });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/caller address 127\.0\.0\.1 is over its limit of 2 requests per minute/);
    expect(refused.body.error.data[0].metadata).toMatchObject({ address: '127.0.0.1', limit: '2' });
    // The same server, reached from 127.0.0.2 (still loopback): a caller of its own.
    expect((await call(url, { body: getTask(4), from: '127.0.0.2' })).status).toBe(200);
    now += 2 * 60_000;
    expect((await call(url, { body: getTask(5) })).status).toBe(200);
  });

  it('tells how long until the sliding estimate lets one more request in', () => {
    // 4 in this window at its start, limit 3: into the next window, until 4 × (1 - g) + 1 <= 3, g = 0.5.
    expect(secondsUntilAllowed({ previous: 0, current: 4 }, 0, 3, 60_000)).toBe(90);
    // Room left in this window: only the previous window's share must fade. 6 × (1 - f) + 1 + 1 <= 3 → f >= 5/6.
    expect(secondsUntilAllowed({ previous: 6, current: 1 }, 0.5, 3, 60_000)).toBe(20);
    // Never less than a second.
    expect(secondsUntilAllowed({ previous: 2, current: 2 }, 0.999, 3, 60_000)).toBe(1);
  });
});
