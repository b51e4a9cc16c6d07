import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { SECRETS_KEY, collect, sendParams, userMessage } from '../a2a/a2a-env';
import { startFrontEnd, type FrontEnd } from './front-end';
import { RUNNING_STATES, TRANSPORTS, clientOver, finalAnswerOf, recordedEvents, stateOf, taskOf, within } from './read-clients';

/**
 * Issue 31: a task is readable the moment its stream has said it exists. GetTask and
 * SubscribeToTask, sent right after the first event of SendStreamingMessage, while the run's first
 * workflow task and a slow model turn are under way, answer from the read model: the task as it
 * stands (not ended), and a subscription that carries its events to the end. Before the read
 * model they asked the workflow by query, and a subscription sent this early was refused as
 * "-32004 ... has ended". That no read here sends a workflow query at all is checked too: a query
 * waits on the workflow (Temporal hands it to a worker, behind any workflow task under way).
 */

/** One slow agent, two replies: each turn takes the model 1.5 s, so the task is running for a while. */
const slowTeam = () =>
  team('slow')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('ponderer', { description: 'Thinks slowly.' })
    .terminateWhen(maxMessages(3))
    .build();
const SCRIPT = { agents: { ponderer: { replies: ['first thought', 'final answer'], latencyMs: 1_500 } } };

/** How long after the stream's first event the reads are sent: at once, and a little later. */
const DELAYS_MS = [0, 10, 50, 100];

describe('reads sent as a task starts (issue 31)', () => {
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let front: FrontEnd;
  beforeAll(async () => {
    model = await startScriptedModelServer({ script: SCRIPT });
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, env: { ...process.env, DURABLE_TEAMS_SECRETS_KEY: SECRETS_KEY } });
    front = await startFrontEnd([slowTeam()], worker.taskQueue, { grpcPort: 0 });
  });
  afterAll(async () => {
    await front?.close();
    await worker?.stop();
    await model?.close();
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    let client: Client;
    beforeAll(async () => {
      client = await clientOver(transport, front.server.teamUrls.slow!);
    });

    // The four delays side by side, each its own task: a failure names its delay.
    test(`${DELAYS_MS.join(', ')} ms after the first event: GetTask says it is under way, SubscribeToTask follows it to its end`, async () => {
      await Promise.all(
        DELAYS_MS.map((delayMs) =>
          readsAfter(client, front, delayMs).catch((err: Error) => {
            err.message = `${delayMs} ms after the first event: ${err.message}`;
            throw err;
          }),
        ),
      );
    });
  });
});

/** One task sent by streaming, then GetTask and SubscribeToTask `delayMs` after its first event. */
async function readsAfter(client: Client, front: FrontEnd, delayMs: number): Promise<void> {
  const streamed: StreamResponse[] = [];
  let firstEvent!: () => void;
  const first = new Promise<void>((resolve) => (firstEvent = resolve));
  const streaming = (async () => {
    for await (const event of client.sendMessageStream(sendParams(userMessage('Think it over twice.')))) {
      streamed.push(event);
      firstEvent();
    }
  })();
  await Promise.race([first, streaming.then(() => Promise.reject(new Error('the stream ended before its first event')))]);
  const started = taskOf(streamed[0]!);
  await sleep(delayMs);

  // Bounded: the run takes about 3 s, so 20 s means the read is stuck.
  const [task, subscribed] = await Promise.all([
    within(20_000, 'GetTask', client.getTask({ tenant: '', id: started.id, historyLength: undefined })),
    within(20_000, 'SubscribeToTask to the end', collect(client.resubscribeTask({ tenant: '', id: started.id }))),
  ]);
  await within(20_000, "the sender's stream to the end", streaming);

  // GetTask: this task, as it stands, under way.
  expect(task.id).toBe(started.id);
  expect(task.contextId).toBe(started.contextId);
  expect(RUNNING_STATES).toContain(task.status?.state);

  // SubscribeToTask: the task under way first, then its events to the end, the answer included.
  const opening = taskOf(subscribed[0]!);
  expect(opening.id).toBe(started.id);
  expect(RUNNING_STATES).toContain(opening.status?.state);
  expect(stateOf(subscribed.at(-1)!)).toBe(TaskState.TASK_STATE_COMPLETED);
  expect(finalAnswerOf(subscribed)).toBe('final answer');
  const followed = recordedEvents(subscribed);
  expect(followed).toContain(`status:${TaskState.TASK_STATE_WORKING}:final answer`);
  // The same events the sender's own stream carried, from where the subscription began.
  const sent = recordedEvents(streamed);
  expect(sent.slice(sent.length - followed.length)).toEqual(followed);
  expect(stateOf(streamed.at(-1)!)).toBe(TaskState.TASK_STATE_COMPLETED);
  // And nothing here waited on the workflow: every read came from Temporal's record of the run.
  expect(front.queriesOf(started.id)).toEqual([]);
}
