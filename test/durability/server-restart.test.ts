import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { freePort, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { REVIEW_SCRIPT, REVIEW_TURNS, reviewTeam } from '../helpers/teams';

/**
 * The dev server keeps runs in SQLite with --db-filename. Stopped mid-run and started again on the
 * same file and port, it still has the run; the worker reconnects on its own and finishes it.
 */
describe('the Temporal dev server restarted mid-run', () => {
  let dir: string;
  let server: DevServer | null = null;
  let model: ScriptedModelServer;
  let env: TestWorker | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'durable-teams-restart-'));
    model = await startScriptedModelServer({ script: { ...REVIEW_SCRIPT, latencyMs: 300 } });
  });
  afterAll(async () => {
    await env?.stop();
    await server?.stop();
    await model?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([['SIGTERM', 'stop'] as const, ['SIGKILL', 'kill'] as const])(
    'after %s, the run completes with every turn once',
    async (_signal, how) => {
      const port = await freePort();
      const dbFile = join(dir, `${how}.db`);
      server = await startDevServer({ port, dbFile });
      env = await startTestWorker({ address: server.address, model: { baseUrl: model.baseUrl } });
      const team = reviewTeam({ timeouts: { heartbeat: '2s' }, retry: { initialInterval: '200ms' } });
      const runId = await env.client.start(team, 'Write a note.');
      for await (const event of env.client.follow(runId)) if (event.type === 'message' && event.message.turn === 1) break;

      await server[how]();
      server = await startDevServer({ port, dbFile });

      const result = await env.client.result(runId);
      expect(result.snapshot.status).toBe('completed');
      expect(result.messages.map((m) => [m.source, m.content])).toEqual([['user', 'Write a note.'], ...REVIEW_TURNS]);
      expect(result.messages.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      await env.stop();
      env = null;
      await server.stop();
      server = null;
    },
    120_000,
  );
});
