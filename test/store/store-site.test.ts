import { Client } from 'pg';
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

  test('a part that failed to open is opened again at its next use', async () => {
    const site = StoreSite.of(server.url.replace(/\/[^/]*$/, '/no_such_database'));
    await expect(site.memory.listIds('ns')).rejects.toThrow(/create the database/);
    await expect(site.memory.listIds('ns')).rejects.toThrow(/create the database/);
    await site.memory.close();
  });
});
