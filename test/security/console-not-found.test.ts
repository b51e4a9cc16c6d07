import { join } from 'node:path';
import { bearerTokens } from '../../src/access/auth';
import { quoted } from '../../src/core/display-text';
import { loadTeamFile } from '../../src/files/team-file';
import { ROOT } from '../helpers/teams';
import { TO_APPROVAL_SCRIPT, TOKENS } from '../a2a/callers';
import { startA2AEnv, type A2AEnv } from '../a2a/a2a-env';
import { eventually } from '../cli/cli-helpers';
import { rawCall } from './raw-http';

const TEAM = 'review-approval';

/**
 * The console tells nobody which run ids exist: on every route that takes a run id, bob hears of
 * alice's run exactly what he hears of an id no run has, status and words, as A2A answers him
 * (test/a2a/isolation.test.ts). An id no run could have (control characters, too long, not
 * ASCII) is answered the same, without a crash.
 */
describe('the console API and run ids bob may not reach', () => {
  let env: A2AEnv;
  let aliceRun: string;

  beforeAll(async () => {
    const tokens = bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`, `carol:operator=${TOKENS.carol}`], 'test');
    env = await startA2AEnv([loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'))], TO_APPROVAL_SCRIPT, { tokens });
    const started = await call(TOKENS.alice, 'POST', '/console/api/runs', { team: TEAM, task: 'Write a note.' });
    expect(started.status).toBe(201);
    aliceRun = (JSON.parse(started.text) as { runId: string }).runId;
  });
  afterAll(() => env?.stop());

  function call(token: string, method: string, path: string, body?: unknown) {
    return rawCall(
      env.server.url,
      method,
      path,
      { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body === undefined ? undefined : JSON.stringify(body),
    );
  }

  /** Every console route taking a run id, as [method, path, body]. */
  const routes = (id: string): [string, string, unknown?][] => {
    const at = `/console/api/runs/${encodeURIComponent(id)}`;
    return [
      ['GET', at],
      ['GET', `${at}/watch`],
      ['POST', `${at}/answer`, { action: 'approve' }],
      ['POST', `${at}/stop`, {}],
      ['POST', `${at}/cancel`, {}],
    ];
  };

  it('answers bob on alice’s run word for word as on an unknown id: 404 `run "<id>" not found`', async () => {
    const unknown = `${TEAM}-000000000000`;
    for (const [i, [method, path, body]] of routes(aliceRun).entries()) {
      const theirs = await call(TOKENS.bob, method, path, body);
      const [, unknownPath, unknownBody] = routes(unknown)[i]!;
      const nobodys = await call(TOKENS.bob, method, unknownPath, unknownBody);
      expect([method, path, theirs.status, theirs.message]).toEqual([method, path, 404, `run "${aliceRun}" not found`]);
      expect([method, path, nobodys.status, nobodys.text.split(unknown).join('<id>')]).toEqual([
        method,
        path,
        theirs.status,
        theirs.text.split(aliceRun).join('<id>'),
      ]);
    }
  });

  it('answers an id no run could have as unknown too, on every route and for an operator', async () => {
    for (const id of ['x\ny', 'ev\u202eil', 'café-1', 'a'.repeat(2_000), '../../etc/passwd']) {
      for (const token of [TOKENS.bob, TOKENS.carol]) {
        for (const [method, path, body] of routes(id)) {
          const answer = await call(token, method, path, body);
          expect([method, id.slice(0, 20), answer.status, answer.message]).toEqual([
            method,
            id.slice(0, 20),
            404,
            `run ${quoted(id)} not found`,
          ]);
        }
      }
    }
  });

  it('shows carol, an operator, alice’s run; and it still waits for its approval after all that', async () => {
    // Started from the console, the run reaches its approval a moment later.
    await eventually(async () => {
      const seen = await call(TOKENS.carol, 'GET', `/console/api/runs/${aliceRun}`);
      expect(seen.status).toBe(200);
      expect(JSON.parse(seen.text)).toMatchObject({ runId: aliceRun, status: 'input-required' });
    });
  });
});
