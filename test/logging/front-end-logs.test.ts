import { join } from 'node:path';
import { ClientFactory } from '@a2a-js/sdk/client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { CliProcess, temporalFlags } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';

const TASK = 'Write a note about PEREGRINE.';

/** `durable-teams serve` with JSON logs: its notes and one line per request, each JSON, none with content. */
describe('JSON logs of the A2A front end', () => {
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let serve: CliProcess;
  const taskQueue = uniqueTaskQueue('front-end-logs');

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    worker = await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl } });
    serve = new CliProcess(['serve', join(ROOT, 'examples/teams/review.yaml'), '--port', '0', ...temporalFlags(taskQueue)], {
      env: { DURABLE_TEAMS_LOG_FORMAT: 'json' },
      timeoutMs: 120_000,
    });
  });
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await worker?.stop();
    await model?.close();
  });

  it('logs each request with its JSON-RPC method, run, status and duration', async () => {
    const [, url] = await serve.waitFor('stdout', /^review (http:\S+)$/m);
    const client = await new ClientFactory().createFromUrl(url!);
    const task = await client.sendMessage(sendParams(userMessage(TASK)));
    const taskId = 'id' in task ? task.id : '';
    await client.getTask({ tenant: '', id: taskId, historyLength: 0 });
    await serve.waitFor('stderr', /"rpc":"GetTask"/);

    const lines = serve.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: expect.stringContaining('A2A front end on') }));
    const requests = lines.filter((l) => l.message === 'request');
    expect(requests).toContainEqual(expect.objectContaining({ method: 'POST', rpc: 'SendMessage', status: 200, ms: expect.any(Number) }));
    expect(requests).toContainEqual(expect.objectContaining({ method: 'POST', rpc: 'GetTask', run: taskId, status: 200 }));
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'GET', path: expect.stringContaining('/.well-known/agent-card.json'), status: 200 }),
    );
    expect(serve.stderr).not.toContain('PEREGRINE');
  });
});
