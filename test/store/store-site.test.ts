import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';
import { PostgresRequestCounter } from '../../src/access/quotas/postgres-request-counter';
import { StoreSite } from '../../src/site/store-site';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';

describe('StoreSite: one site, one pool (a real PostgreSQL server)', () => {
  let server: TestPostgres;
  let watcher: Client;

  beforeAll(async () => {
    server = await startPostgres();
    watcher = new Client({ connectionString: server.url });
    await watcher.connect();
  }, 120_000);
  afterAll(async () => {
    await watcher?.end();
    await server?.destroy();
  }, 60_000);

  const poolConnections = async () =>
    Number(
      (await watcher.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'durable-teams'`)).rows[0]!
        .n,
    );

  test('a URL names one site per process; relative folders resolve against cwd', () => {
    expect(StoreSite.of(server.url)).toBe(StoreSite.of(server.url));
    expect(StoreSite.of('teams', '/srv')).toBe(StoreSite.of('/srv/teams'));
    expect(StoreSite.of('memory:').postgres).toBeNull();
  });

  test('conversations, memory and the request counter share the pool, which ends when the last of them closes', async () => {
    const site = StoreSite.of(server.url);
    const conversations = await site.openConversations();
    const memory = site.memory;
    const counter = new PostgresRequestCounter(site.postgres!);
    await Promise.all([
      conversations.putRecords('run-1', [{ index: 0, data: new Uint8Array([1]) }]),
      memory.putEntries([{ id: 'e1', namespace: 'ns', createdAt: new Date(), data: new Uint8Array([2]) }]),
      counter.hit('alice', 60_000, 60_000),
    ]);
    expect(await poolConnections()).toBeGreaterThan(0);
    expect(await poolConnections()).toBeLessThanOrEqual(10); // one pool's bound, not three pools'

    await conversations.close();
    await counter.close();
    expect(await memory.listIds('ns')).toHaveLength(1); // still open: the pool is memory's too
    await memory.close();
    // A server process leaves pg_stat_activity a moment after its connection closes.
    for (const deadline = Date.now() + 10_000; (await poolConnections()) > 0 && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await poolConnections()).toBe(0);

    // Opened again after all closed: a new pool.
    const again = await site.openConversations();
    expect(await again.getRecords('run-1', 0, 1)).toEqual([{ index: 0, data: new Uint8Array([1]) }]);
    await again.close();
  });

  test('sealed: conversations, memory and the live channel of one codec, on the one pool, no text in plaintext', async () => {
    const dataConverter = dataConverterFromEnv({ DURABLE_TEAMS_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}` });
    const site = StoreSite.of(server.url);
    const sealed = site.sealed(dataConverter);
    expect(sealed.live).toBe(site.liveChannel(dataConverter)); // one channel per converter, shared
    await sealed.conversations.putBody('sealed-run', { content: 'a secret body' });
    await sealed.conversations.putRecords('sealed-run', [
      { index: 0, source: 'user', content: 'a secret draft', kind: 'text', turn: null, at: 1 },
    ]);
    await sealed.memory.add({ id: 'm1', scope: 'team/team/k', text: 'a secret fact', createdAt: 1 });

    // Read back through the seal by stores made anew (nothing cached); the tables hold ciphertext only.
    const fresh = site.sealed(dataConverter);
    expect((await fresh.conversations.records('sealed-run')).map((m) => m.content)).toEqual(['a secret draft']);
    expect((await fresh.memory.entries('team/team/k')).map((e) => e.text)).toEqual(['a secret fact']);
    const tables = await watcher.query<{ t: string }>(
      `SELECT encode(data, 'escape') AS t FROM bodies WHERE run_id = 'sealed-run'
       UNION ALL SELECT encode(data, 'escape') FROM records WHERE run_id = 'sealed-run'
       UNION ALL SELECT encode(data, 'escape') FROM memory_entries WHERE id = 'm1'`,
    );
    expect(tables.rows).toHaveLength(3);
    for (const { t } of tables.rows) expect(t).not.toMatch(/secret/);
    await Promise.all([sealed.conversations.close(), sealed.memory.close(), fresh.conversations.close(), fresh.memory.close()]);
  });

  test('a part that failed to open is opened again at its next use', async () => {
    const site = StoreSite.of(server.url.replace(/\/[^/]*$/, '/no_such_database'));
    await expect(site.memory.listIds('ns')).rejects.toThrow(/create the database/);
    await expect(site.memory.listIds('ns')).rejects.toThrow(/create the database/);
    await site.memory.close();
  });
});
