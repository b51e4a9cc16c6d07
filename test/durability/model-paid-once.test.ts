import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createModelActivities } from '../../activities/model-activities';
import type { AgentTurnRequest, ModelReply } from '../../src/core/activity-contract';
import { maxMessages, parseTeamSpec } from '../../src/spec';
import { closeClient, connectClient } from '../../src/temporal/connection';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, type TestWorker } from '../../src/testing/temporal-env';
import { ToolRegistry } from '../../src/tools/registry';

/**
 * An agent's turn is paid for once: an attempt after the first (the worker died, or the activity
 * timed out, after the model had answered) takes the answer kept beside the reply and does not ask
 * the model again. The turn's request is a real one, taken from a real run's history; its
 * attempts run in the SDK's activity environment, which sets the attempt as Temporal would.
 */
describe("a turn's model call is paid once, whatever its attempts", () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let raw: Client;
  let request: AgentTurnRequest;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: { writer: ['a first draft'] } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    raw = await connectClient(testTemporalAddress(), 'default');
    const team = parseTeamSpec({
      name: 'paid',
      pattern: 'round_robin',
      model: { model: 'scripted' },
      agents: [{ name: 'writer', description: 'Writes.' }],
      termination: maxMessages(2),
    });
    const runId = await env.client.start(team, 'Write.');
    await env.client.result(runId);
    const events = (await raw.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'agentTurn')!;
    request = defaultPayloadConverter.fromPayload(scheduled.activityTaskScheduledEventAttributes!.input!.payloads![0]!);
  });
  afterAll(async () => {
    await env?.stop();
    if (raw) await closeClient(raw);
    await model?.close();
  });

  const attempt = (activityId: string, number: number) => {
    const { agentTurn } = createModelActivities(new ToolRegistry([]), env.client.store, { defaults: { baseUrl: model.baseUrl } });
    const info = {
      activityId,
      attempt: number,
      workflowExecution: { workflowId: request.runId, runId: 'execution-1' },
      heartbeatTimeoutMs: 60_000,
    };
    return new MockActivityEnvironment(info).run(agentTurn, request).then((reply) => reply as ModelReply);
  };

  it('the second attempt of a turn whose model answered takes the kept answer; another turn asks anew', async () => {
    model.reset();
    const first = await attempt('7', 1);
    expect(first.content).toBe('a first draft');
    expect(model.requests).toHaveLength(1);

    const again = await attempt('7', 2);
    expect(again).toEqual(first); // the same reply, under the same stored body
    expect(model.requests).toHaveLength(1);

    // A retry of a step whose answer was never kept (the model's reply was lost before the write) pays again.
    const other = await attempt('8', 2);
    expect(other.content).toBe('a first draft');
    expect(other.ref).not.toBe(first.ref);
    expect(model.requests).toHaveLength(2);
  });
});
