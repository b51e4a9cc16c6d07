import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';
import { FAST_RETRY, ROOT } from '../helpers/teams';

const TOOLS_MODULE = join(ROOT, 'test/fixtures/tools/recording-tools.js');

/** A tool call in flight when its worker dies: the retry on another worker carries the same key. */
describe('a worker killed during a tool call', () => {
  let model: ScriptedModelServer;
  let client: TeamClient;
  const workers: WorkerProcess[] = [];
  const taskQueue = uniqueTaskQueue('tool-crash');
  const log = join(mkdtempSync(join(tmpdir(), 'tool-crash-')), 'calls.jsonl');

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: { agents: { cashier: [{ toolCalls: [{ name: 'charge_card', arguments: { amount: 42 } }] }, 'charged'] } },
    });
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await client?.close();
    await model?.close();
  });

  const startWorker = async () => {
    const worker = await startWorkerProcess({
      address: testTemporalAddress(),
      taskQueue,
      modelBaseUrl: model.baseUrl,
      toolsModule: TOOLS_MODULE,
      env: { TOOL_LOG: log },
    });
    workers.push(worker);
    return worker;
  };
  const logged = (): { key: string; attempt: number }[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];

  it('retries the call on the next worker with the same idempotency key; the run completes', async () => {
    const first = await startWorker();
    expect(first.output()).toContain('worker ready with tools charge_card');
    const spec = team('shop')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('cashier', {
        description: 'Charges cards.',
        tools: [{ name: 'charge_card', retry: FAST_RETRY, timeouts: { heartbeat: '1s' } }],
        reflectOnToolUse: true,
      })
      .terminateWhen(maxMessages(2))
      .build();
    const runId = await client.start(spec, 'Charge 42.');
    while (logged().length === 0) await sleep(50);
    await first.kill('SIGKILL');
    await startWorker();

    const { snapshot, messages } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    const calls = logged();
    expect(calls.map((c) => c.attempt)).toEqual([1, 2]);
    expect(calls.map((c) => c.key)).toEqual([`${runId}/turn-0/cashier/0/call_1`, `${runId}/turn-0/cashier/0/call_1`]);
    expect(messages[2]!.toolResults![0]!.content).toBe(`charged 42 once (key ${runId}/turn-0/cashier/0/call_1)`);
  });
});
