import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codecKeyringFromEnv } from '../../src/temporal/codec/codec-keys';
import { AesGcmCodec } from '../../src/temporal/codec/aes-gcm-codec';
import { ContextLedger } from '../../src/store/context-ledger';
import { ConversationStore } from '../../src/store/conversation-store';
import { FileBackend } from '../../src/store/file-backend';
import { RamBackend } from '../../src/store/ram-backend';
import { StoreSite } from '../../src/site/store-site';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { codecEnv, newKey } from '../codec/codec-env';

/** A context of the shared namespace (no auth, the CLI). */
const shared = (contextId: string) => ({ contextId, owner: null });

/** Every file under a folder, as text: what someone reading the disk would see. */
function everything(folder: string): string {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

/**
 * The context ledger on the real backends: of many front ends claiming a context's next entry at
 * once, exactly one gets it (so a context never forks), each reading back what the winner wrote;
 * with the codec on, nothing of an entry is readable on disk.
 */
describe('the context ledger', () => {
  let postgres: TestPostgres;
  let folder: string;

  beforeAll(async () => {
    postgres = await startPostgres();
    folder = mkdtempSync(join(tmpdir(), 'context-ledger-'));
  }, 120_000);
  afterAll(async () => {
    await postgres?.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  const backends = {
    embedded: () => FileBackend.open(folder),
    postgres: () => StoreSite.of(postgres.url).openConversations(),
  };

  it.each(Object.keys(backends) as (keyof typeof backends)[])('%s: eight claims of one entry at once, one wins', async (kind) => {
    // Eight stores, as eight front-end processes would each have their own.
    const stores = await Promise.all(Array.from({ length: 8 }, async () => new ConversationStore(await backends[kind]())));
    try {
      const contextId = `race-${kind}-${Date.now()}`;
      const first = { runId: 'run-0', before: [] };
      expect(await new ContextLedger(stores[0]!).claim(shared(contextId), 0, first)).toBe(true);
      const won = await Promise.all(
        stores.map((store, i) =>
          new ContextLedger(store).claim(shared(contextId), 1, {
            runId: `run-${i + 1}`,
            before: [{ runId: 'run-0', count: 3, answer: 2 }],
          }),
        ),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = `run-${won.indexOf(true) + 1}`;
      // Every store reads the same newest entry: the winner's.
      for (const store of stores) {
        expect(await new ContextLedger(store).newest(shared(contextId))).toEqual({
          index: 1,
          entry: { runId: winner, before: [{ runId: 'run-0', count: 3, answer: 2 }] },
        });
      }
      expect(await new ContextLedger(stores[0]!).newest(shared(`${contextId}-unknown`))).toBeNull();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('finds the newest of a long context from the noted position, and still when the note lags or is gone', async () => {
    const store = new ConversationStore(new RamBackend());
    const ledger = new ContextLedger(store);
    for (let i = 0; i < 70; i++) expect(await ledger.claim(shared('long'), i, { runId: `run-${i}`, before: [] })).toBe(true);
    expect(await ledger.newest(shared('long'))).toMatchObject({ index: 69, entry: { runId: 'run-69' } });
    // A note left behind by a slower claim, or one written past the end (its entries pruned).
    await store.putRunNote('context/long', 'newest', 3);
    expect(await ledger.newest(shared('long'))).toMatchObject({ index: 69 });
    await store.putRunNote('context/long', 'newest', 500);
    expect(await ledger.newest(shared('long'))).toMatchObject({ index: 69 });
  });

  it("keeps each owner's context of an id apart from another's and from the shared one, the shared keys as they always were", async () => {
    const store = new ConversationStore(new RamBackend());
    const ledger = new ContextLedger(store);
    const alice = { contextId: 'x', owner: 'alice' };
    expect(await ledger.claim(alice, 0, { runId: 'alice-1', before: [] })).toBe(true);
    // Bob's "x" and the shared "x" begin at entry 0 too: nothing of alice's is in their way.
    expect(await ledger.claim({ contextId: 'x', owner: 'bob' }, 0, { runId: 'bob-1', before: [] })).toBe(true);
    expect(await ledger.newest(shared('x'))).toBeNull();
    // An owner's name cannot reach into another's namespace, nor into the shared one.
    expect(await ledger.newest({ contextId: 'x', owner: 'alice/x' })).toBeNull();
    expect(await ledger.newest({ contextId: 'x', owner: 'context' })).toBeNull();
    expect(await ledger.newest(alice)).toMatchObject({ index: 0, entry: { runId: 'alice-1' } });
    // The shared namespace is read where the code before owners wrote it: context/<id>/<n>.
    await store.putFirst('legacy-1', 'context/y/0', { runId: 'legacy-1', before: [] });
    expect(await ledger.newest(shared('y'))).toMatchObject({ index: 0, entry: { runId: 'legacy-1' } });
  });

  it('with the codec on, an entry is sealed on disk', async () => {
    const sealedFolder = mkdtempSync(join(tmpdir(), 'context-ledger-sealed-'));
    const codec = new AesGcmCodec(codecKeyringFromEnv(codecEnv({ a: newKey() }))!);
    const store = new ConversationStore(await FileBackend.open(sealedFolder), { codec });
    try {
      await new ContextLedger(store).claim(shared('ctx-SECRET-CONTEXT'), 0, { runId: 'run-PLUM-42', before: [] });
      expect(await new ContextLedger(store).newest(shared('ctx-SECRET-CONTEXT'))).toMatchObject({ entry: { runId: 'run-PLUM-42' } });
      // Run ids name folders in plain, as they do in Temporal; the entry itself is sealed.
      const entries = everything(join(sealedFolder, 'bodies'));
      expect(entries.length).toBeGreaterThan(0);
      expect(entries).not.toContain('PLUM-42');
    } finally {
      await store.close();
      rmSync(sealedFolder, { recursive: true, force: true });
    }
  });
});
