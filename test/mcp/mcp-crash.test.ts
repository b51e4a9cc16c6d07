import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TeamClient } from '../../src/client/team-client';
import { maxMessages, parseTeamSpec, type TeamSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { FAST_RETRY } from '../helpers/teams';
import { LEDGER_SERVER, ledgerEntries } from './mcp-env';
import { nextRequest } from '../helpers/waiting';

/**
 * A worker killed (SIGKILL) while an MCP server works on its `tools/call`: the server took the
 * call and its effect happened, the answer never came. A tool the server marks idempotent is sent
 * again with the same idempotency key; one it does not is not sent again blindly: the run asks a
 * person, and goes on with their answer.
 */
describe('a worker killed during an MCP tool call', () => {
  let model: ScriptedModelServer;
  let client: TeamClient;
  const workers: WorkerProcess[] = [];
  const taskQueue = uniqueTaskQueue('mcp-crash');
  const ledger = join(mkdtempSync(join(tmpdir(), 'mcp-crash-')), 'ledger.jsonl');

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        agents: {
          setter: [{ toolCalls: [{ name: 'set_entry', arguments: { text: 'milk', delayMs: 3_000 } }] }, 'set'],
          appender: [{ toolCalls: [{ name: 'append_entry', arguments: { text: 'eggs', delayMs: 3_000 } }] }, 'appended'],
        },
      },
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
      env: { LEDGER_LOG: ledger },
    });
    workers.push(worker);
    return worker;
  };
  const teamOf = (agent: string): TeamSpec =>
    parseTeamSpec({
      name: `ledger-${agent}`,
      pattern: 'round_robin',
      model: { model: 'scripted' },
      agents: [
        {
          name: agent,
          description: 'Keeps the ledger.',
          reflectOnToolUse: true,
          mcp: [
            {
              name: 'ledger',
              command: process.execPath,
              args: [LEDGER_SERVER],
              envFrom: { LEDGER_LOG: 'LEDGER_LOG' },
              retry: FAST_RETRY,
              timeouts: { heartbeat: '1s' },
            },
          ],
        },
      ],
      termination: maxMessages(2),
    });
  const entries = () => ledgerEntries(ledger);
  /** Starts the run, waits until the server has taken its call, and kills the worker before the answer. */
  const killedMidCall = async (agent: string): Promise<string> => {
    const before = entries().length;
    // One worker at a time, so the one killed is the one that sent the call.
    await Promise.all(workers.splice(0).map((w) => w.kill()));
    const first = await startWorker();
    const runId = await client.start(teamOf(agent), 'Write it down.');
    while (entries().length === before) await sleep(50);
    await first.kill('SIGKILL');
    await startWorker();
    return runId;
  };

  it('sends an idempotent tool again with the same idempotency key; the run completes', async () => {
    const runId = await killedMidCall('setter');
    const { snapshot, messages } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    const key = `${runId}/turn-0/setter/0/call_1`;
    expect(entries().filter((e) => e.tool === 'set_entry')).toEqual([expect.objectContaining({ key }), expect.objectContaining({ key })]);
    expect(messages.find((m) => m.kind === 'tool_result')!.toolResults![0]).toMatchObject({
      content: 'set_entry done: milk',
      isError: false,
    });
  }, 60_000);

  it('does not send a destructive one again: a person is asked, and the run goes on with the answer', async () => {
    const runId = await killedMidCall('appender');
    const asked = await nextRequest(client, runId);
    expect(asked.prompt).toContain(`appender's MCP tool append_entry asks: the call of append_entry (MCP server "ledger") was sent`);
    await client.answer(runId, { requestId: asked.requestId, action: 'input', text: 'no, it went through' });
    const { snapshot, messages } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(entries().filter((e) => e.tool === 'append_entry')).toHaveLength(1);
    expect(messages.find((m) => m.kind === 'tool_result')!.toolResults![0]).toMatchObject({
      content: 'not sent again; the person said: no, it went through',
      isError: true,
    });
  }, 60_000);
});
