import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codecKeyringFromEnv } from '../../src/temporal/codec/codec-keys';
import { AesGcmCodec } from '../../src/temporal/codec/aes-gcm-codec';
import { AttemptLog, KEPT_FAILED_ATTEMPTS } from '../../src/store/attempt-log';
import { ConversationStore } from '../../src/store/conversation-store';
import { FileBackend } from '../../src/store/file-backend';
import { RamBackend } from '../../src/store/ram-backend';
import { StoreSite } from '../../src/site/store-site';
import { pruneStore } from '../../src/store/prune';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { failedAttemptOf, FAILED_ATTEMPT_MESSAGE_CHARS, type FailedAttempt } from '../../src/core/failed-attempt';
import { codecEnv, newKey } from '../codec/codec-env';

/** Every file under a folder, as text: what someone reading the disk would see. */
function everything(folder: string): string {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

const failure = (activityId: string, attempt: number, message = `failure ${activityId}.${attempt}`): FailedAttempt =>
  failedAttemptOf({ activity: 'callTool', activityId, attempt }, new Error(message), new Date());

/**
 * The log of failed attempts on the real backends: attempts of one run failing at the same moment
 * on several workers are all kept (none overwrites another); a reader gets the newest 200, in
 * order; with the codec on nothing of an attempt is readable on disk; pruning takes it with its run.
 */
describe('the log of failed attempts', () => {
  let postgres: TestPostgres;
  let folder: string;

  beforeAll(async () => {
    postgres = await startPostgres();
    folder = mkdtempSync(join(tmpdir(), 'attempt-log-'));
  }, 120_000);
  afterAll(async () => {
    await postgres?.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  const backends = {
    embedded: () => FileBackend.open(folder),
    postgres: () => StoreSite.of(postgres.url).openConversations(),
  };

  it.each(Object.keys(backends) as (keyof typeof backends)[])(
    '%s: eight workers noting failures of one run at once lose none',
    async (kind) => {
      // Eight stores, as eight worker processes would each have their own.
      const stores = await Promise.all(Array.from({ length: 8 }, async () => new ConversationStore(await backends[kind]())));
      try {
        const runId = `race-${kind}-${Date.now()}`;
        await new AttemptLog(stores[0]!).append(runId, failure('1', 1));
        // Two rounds of eight at once: each writer races the others for the next place, twice.
        for (const round of [2, 3]) {
          await Promise.all(stores.map((store, i) => new AttemptLog(store).append(runId, failure(`${i + 2}`, round))));
        }
        for (const store of stores) {
          const kept = await new AttemptLog(store).newest(runId);
          expect(kept).toHaveLength(17);
          expect(kept[0]).toMatchObject({ activityId: '1', attempt: 1 });
          // Every writer's note of each round is there, once, the rounds in order.
          expect(kept.slice(1, 9).map((a) => a.attempt)).toEqual(Array(8).fill(2));
          expect(kept.slice(9).map((a) => a.attempt)).toEqual(Array(8).fill(3));
          for (const round of [2, 3]) {
            const ids = kept.filter((a) => a.attempt === round).map((a) => a.activityId);
            expect(ids.sort()).toEqual(['2', '3', '4', '5', '6', '7', '8', '9']);
          }
        }
        expect(await new AttemptLog(stores[0]!).newest(`${runId}-unknown`)).toEqual([]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    },
  );

  it('gives the newest 200, oldest first, and finds them when the noted position lags or is gone', async () => {
    const store = new ConversationStore(new RamBackend());
    const log = new AttemptLog(store);
    for (let i = 1; i <= KEPT_FAILED_ATTEMPTS + 5; i++) await log.append('long', failure('7', i));
    const kept = await log.newest('long');
    expect(kept.map((a) => a.attempt)).toEqual(Array.from({ length: KEPT_FAILED_ATTEMPTS }, (_, i) => i + 6));
    expect((await log.newest('long', 3)).map((a) => a.attempt)).toEqual([203, 204, 205]);
    // A note left behind by a slower writer, or one written past the end.
    await store.putRunNote('long', 'failed-attempts', 3);
    expect((await log.newest('long', 1)).map((a) => a.attempt)).toEqual([205]);
    await store.putRunNote('long', 'failed-attempts', 5_000);
    expect((await log.newest('long', 1)).map((a) => a.attempt)).toEqual([205]);
    await log.append('long', failure('7', 206));
    expect((await log.newest('long', 2)).map((a) => a.attempt)).toEqual([205, 206]);
  });

  it('keeps a message to 500 characters', () => {
    const long = failure('1', 1, 'x'.repeat(5_000));
    expect(long.message).toHaveLength(FAILED_ATTEMPT_MESSAGE_CHARS);
    expect(long.message.endsWith('...')).toBe(true);
    expect(long.errorType).toBe('Error');
  });

  it('with the codec on, an attempt is sealed on disk; pruning its run takes it', async () => {
    const sealedFolder = mkdtempSync(join(tmpdir(), 'attempt-log-sealed-'));
    const codec = new AesGcmCodec(codecKeyringFromEnv(codecEnv({ a: newKey() }))!);
    const store = new ConversationStore(await FileBackend.open(sealedFolder), { codec });
    try {
      const log = new AttemptLog(store);
      await log.append('run-sealed', failure('1', 1, 'endpoint said PLUM-42'));
      await log.append('run-sealed', failure('1', 2, 'endpoint said PEAR-17'));
      expect((await log.newest('run-sealed')).map((a) => a.message)).toEqual(['endpoint said PLUM-42', 'endpoint said PEAR-17']);
      const disk = everything(sealedFolder);
      expect(disk).not.toContain('PLUM-42');
      expect(disk).not.toContain('PEAR-17');
      expect(disk).not.toContain('callTool');

      const pruned = await pruneStore(store, { isRunGone: async () => true });
      expect(pruned.deleted).toEqual(expect.arrayContaining(['run-sealed', 'run-sealed/failed-attempts']));
      expect(await log.newest('run-sealed')).toEqual([]);
      expect(
        readdirSync(join(sealedFolder, 'bodies'), { recursive: true }).filter((f) =>
          statSync(join(sealedFolder, 'bodies', String(f))).isFile(),
        ),
      ).toEqual([]);
    } finally {
      await store.close();
      rmSync(sealedFolder, { recursive: true, force: true });
    }
  });
});
