import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';
import { ENCRYPTED_ENCODING } from '../../src/temporal/codec/aes-gcm-codec';
import { TeamClient } from '../../src/client/team-client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT, REVIEW_TURNS, reviewTeam } from '../helpers/teams';
import { codecEnv, newKey } from './codec-env';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../../src/store/conversation-store';
import { StoreSite } from '../../src/site/store-site';

/** Every file under a folder, as one buffer. */
function folderBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir).map((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? folderBytes(path) : readFileSync(path);
    }),
  );
}
import { metadataText, payloadsIn, plainClient, readRawRun, textsFoundIn, type RawRun } from './raw-history';

const TASK = 'Plan the PLUM-42 launch for the Ostrava office';
/** Everything a person would call the conversation: the task and every model reply. */
const CONVERSATION = [TASK, ...new Set(REVIEW_TURNS.map(([, content]) => content!))];

/** Each payload the codec did not encrypt, as [the event it is in, its value]. */
function plainPayloadsByEvent(events: RawRun['events']): [string, unknown][] {
  return events.flatMap((event) =>
    payloadsIn(event)
      .filter((p) => metadataText(p, 'encoding') !== ENCRYPTED_ENCODING)
      .map((p): [string, unknown] => [
        temporal.api.enums.v1.EventType[event.eventType!]!,
        JSON.parse(Buffer.from(p.data!).toString('utf8')),
      ]),
  );
}

describe('a team run with the payload codec on', () => {
  let model: ScriptedModelServer;
  let encrypted: TestWorker;
  let unencrypted: TestWorker;
  let plain: Client;
  /** The encrypted runs' own store, so that what is in it can be searched byte by byte. */
  const storeDir = mkdtempSync(join(tmpdir(), 'encrypted-store-'));

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    const dataConverter = dataConverterFromEnv(codecEnv({ 'key-1': newKey() }));
    const store = new ConversationStore(await StoreSite.of(storeDir).openConversations(), { codec: dataConverter!.payloadCodecs![0] });
    encrypted = await startTestWorker({ model: { baseUrl: model.baseUrl }, dataConverter, store });
    unencrypted = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    plain = await plainClient(testTemporalAddress());
  });
  afterAll(async () => {
    await encrypted?.stop();
    await unencrypted?.stop();
    await plain?.connection.close();
    await model?.close();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('stores no task text or model reply in plaintext, while a client with the codec reads the transcript', async () => {
    const runId = await encrypted.client.start(reviewTeam(), TASK);
    await encrypted.client.result(runId);

    const raw = await readRawRun(plain, runId);
    expect(textsFoundIn(raw.bytes, CONVERSATION)).toEqual([]);
    const payloads = payloadsIn(raw.events);
    expect(payloads.length).toBeGreaterThan(10);
    const sealed = payloads.filter((p) => metadataText(p, 'encoding') === ENCRYPTED_ENCODING);
    expect(new Set(sealed.map((p) => metadataText(p, 'encryption-key-id')))).toEqual(new Set(['key-1']));
    // The only payloads left plain are the SDK's own records, written by the SDK core past the codec:
    // of a patch (workflows/status-memo.ts, stored-conversation.ts, build-move.ts, read-model.ts), patch ids; of the local activity
    // that writes a finished run's last records, its type, attempt and times. Nothing of the run.
    expect(plainPayloadsByEvent(raw.events)).toEqual([
      ['EVENT_TYPE_MARKER_RECORDED', { id: 'conversation-store', deprecated: false }],
      ['EVENT_TYPE_MARKER_RECORDED', { id: 'cancel-waits', deprecated: false }],
      ['EVENT_TYPE_MARKER_RECORDED', { id: 'status-memo', deprecated: false }],
      ['EVENT_TYPE_MARKER_RECORDED', { id: 'move-to-current-build', deprecated: false }],
      ['EVENT_TYPE_MARKER_RECORDED', { id: 'read-model', deprecated: false }],
      [
        'EVENT_TYPE_MARKER_RECORDED',
        {
          activity_id: expect.any(String),
          activity_type: 'storeRecords',
          attempt: 1,
          backoff: null,
          complete_time: expect.any(Object),
          original_schedule_time: expect.any(Object),
          seq: expect.any(Number),
        },
      ],
    ]);
    // Search attributes are never encrypted (Temporal indexes them): the patch ids, and the run's own
    // (team, context, status, time), with no conversation text in any of them (textsFoundIn above).
    const attributeNames = new Set(
      raw.events.flatMap((e) =>
        Object.keys(
          (e.workflowExecutionStartedEventAttributes ?? e.upsertWorkflowSearchAttributesEventAttributes)?.searchAttributes?.indexedFields ??
            {},
        ),
      ),
    );
    expect([...attributeNames].sort()).toEqual(
      [
        'DurableTeamsContextId',
        'DurableTeamsState',
        'DurableTeamsTeam',
        'DurableTeamsUpdatedAt',
        'DurableTeamsWaiting',
        'TemporalChangeVersion',
      ].sort(),
    );
    // The conversation store holds the whole conversation, and none of it in plaintext.
    const stored = folderBytes(storeDir);
    expect(stored.length).toBeGreaterThan(1_000);
    expect(textsFoundIn(stored, CONVERSATION)).toEqual([]);
    // The memo (team, status, the pending question's prompt, the read model's head and events) goes through the codec too.
    expect(Object.keys(raw.memo).sort()).toEqual(['contextId', 'events', 'read', 'status', 'team', 'updatedAt', 'waiting']);
    for (const payload of Object.values(raw.memo)) expect(metadataText(payload, 'encoding')).toBe(ENCRYPTED_ENCODING);

    const transcript = await encrypted.client.transcript(runId);
    expect(transcript.messages.map((m) => [m.source, m.content])).toEqual([['user', TASK], ...REVIEW_TURNS]);
    expect(await encrypted.client.peek(runId)).toMatchObject({ team: 'review', status: 'completed' });
  });

  it('the same search finds the conversation in a run stored without the codec', async () => {
    const runId = await unencrypted.client.start(reviewTeam(), TASK);
    await unencrypted.client.result(runId);
    expect(textsFoundIn((await readRawRun(plain, runId)).bytes, CONVERSATION)).toEqual(CONVERSATION);
  });

  it('a client without the codec cannot read an encrypted run', async () => {
    const runId = await encrypted.client.start(reviewTeam(), TASK);
    await encrypted.client.result(runId);
    const withoutCodec = new TeamClient(plain, encrypted.taskQueue);
    await expect(withoutCodec.transcript(runId)).rejects.toThrow(/binary\/encrypted/);
  });
});
