import type { Client } from '@temporalio/client';
import { maxMessages, team } from '../../src/spec';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';
import { TeamClient } from '../../src/client/team-client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';
import { codecEnv, newKey } from './codec-env';
import { metadataText, payloadsIn, plainClient, readRawRun } from './raw-history';

/** A writer, then a person, then the writer again: the run waits on the person in the middle. */
const draftAndAsk = () =>
  team('rotation')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('writer', { description: 'Writes drafts.' })
    .human('person', { description: 'Gives feedback.' })
    .terminateWhen(maxMessages(4))
    .build();

const keyIdsOf = (payloads: ReturnType<typeof payloadsIn>) => new Set(payloads.map((p) => metadataText(p, 'encryption-key-id')));

describe('rotating the codec key while a run waits', () => {
  const keyA = newKey();
  const keyB = newKey();
  let model: ScriptedModelServer;
  let plain: Client;
  const workers: TestWorker[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: { agents: { writer: ['first draft of the PLUM-42 memo', 'second draft, shorter'] } },
    });
    plain = await plainClient(testTemporalAddress());
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await plain?.connection.close();
    await model?.close();
  });

  it('a run begun under key A finishes under key B, and reads whole with both keys', async () => {
    const taskQueue = uniqueTaskQueue('rotation');
    const underA = await startTestWorker({
      taskQueue,
      model: { baseUrl: model.baseUrl },
      dataConverter: dataConverterFromEnv(codecEnv({ a: keyA })),
    });
    workers.push(underA);
    const runId = await underA.client.start(draftAndAsk(), 'Write the PLUM-42 memo');
    await nextRequest(underA.client, runId);
    const before = await readRawRun(plain, runId);
    expect(keyIdsOf(payloadsIn(before.events).filter((p) => metadataText(p, 'encoding') === 'binary/encrypted'))).toEqual(new Set(['a']));
    await underA.stop();

    // The worker comes back with both keys, B current; the person answers through a client set up alike.
    const rotated = dataConverterFromEnv(codecEnv({ a: keyA, b: keyB }, 'b'));
    const underB = await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl }, dataConverter: rotated });
    workers.push(underB);
    await underB.client.answer(runId, { action: 'input', text: 'Make it shorter' });
    const result = await underB.client.result(runId);
    expect(result.messages.map((m) => [m.source, m.content])).toEqual([
      ['user', 'Write the PLUM-42 memo'],
      ['writer', 'first draft of the PLUM-42 memo'],
      ['person', 'Make it shorter'],
      ['writer', 'second draft, shorter'],
    ]);

    const after = await readRawRun(plain, runId);
    const encrypted = payloadsIn(after.events).filter((p) => metadataText(p, 'encoding') === 'binary/encrypted');
    expect(keyIdsOf(encrypted)).toEqual(new Set(['a', 'b']));
    // What was written before the rotation keeps key A; the answer and the result are under B.
    const started = after.events.find((e) => e.workflowExecutionStartedEventAttributes)!;
    expect(keyIdsOf(payloadsIn(started))).toEqual(new Set(['a']));
    const completed = after.events.find((e) => e.workflowExecutionCompletedEventAttributes)!;
    expect(keyIdsOf(payloadsIn(completed))).toEqual(new Set(['b']));
    // The memo keeps the team name set at the start under A, and the status upserted since under B.
    expect(metadataText(after.memo.team!, 'encryption-key-id')).toBe('a');
    expect(metadataText(after.memo.status!, 'encryption-key-id')).toBe('b');

    expect((await underB.client.transcript(runId)).messages.map((m) => m.content)).toEqual(result.messages.map((m) => m.content));

    // A reader that has only key B cannot read what A wrote, and says which key it lacks.
    const onlyB = await TeamClient.connect({
      address: testTemporalAddress(),
      namespace: 'default',
      taskQueue,
      dataConverter: dataConverterFromEnv(codecEnv({ b: keyB })),
    });
    try {
      const failure = await onlyB.peek(runId).then(
        () => null,
        (err: Error) => err,
      );
      expect(failure?.message).toMatch(/encrypted with key "a", which is not in DURABLE_TEAMS_CODEC_KEYS \(ids: b\)/);
      expect(failure?.message).not.toContain(keyA);
      expect(failure?.message).not.toContain(keyB);
    } finally {
      await onlyB.close();
    }
  }, 60_000);
});
