import { StoreSite } from '../../src/site/store-site';
import { PostgresBackend } from '../../src/store/postgres-backend';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { describeBackendContract } from './backend-contract';

// Trust authentication accepts any password, so the URL can carry one to check it never shows.
const PASSWORD = 'pw-that-must-not-show';
const withPassword = (url: string) => url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);

describe('PostgresBackend (a real PostgreSQL server)', () => {
  let server: TestPostgres;
  let backend: PostgresBackend;
  let another: PostgresBackend;

  beforeAll(async () => {
    server = await startPostgres();
    backend = await PostgresBackend.open(withPassword(server.url));
    another = await PostgresBackend.open(server.url);
  }, 120_000);
  afterAll(async () => {
    await backend?.close();
    await another?.close();
    await server?.destroy();
  }, 60_000);

  describe('the store contract', () => {
    describeBackendContract({ backend: () => backend, another: () => another });
  });

  test('its location is the URL with the password as ***', () => {
    expect(backend.location).toBe(`postgres://postgres:***@127.0.0.1:${server.port}/durable_teams`);
  });

  test('opening twice at once is fine: the tables are created under a lock', async () => {
    const backends = await Promise.all([1, 2, 3].map(() => StoreSite.of(server.url).openConversations()));
    await Promise.all(backends.map((b) => b.close()));
  });

  test('while PostgreSQL is down an operation fails naming the URL without its password; once it is back the same backend works', async () => {
    const runId = 'outage/turn-1';
    await backend.putRecords(runId, [{ index: 0, data: Buffer.from('before') }]);
    await server.stop();
    try {
      const failure = await backend.getRecords(runId, 0, 10).then(
        () => null,
        (err: unknown) => err as Error,
      );
      expect(failure?.name).toBe('StoreUnavailableError');
      expect(failure?.message).toContain(
        `conversation store postgres://postgres:***@127.0.0.1:${server.port}/durable_teams is unreachable`,
      );
      expect(failure?.message).toContain('is PostgreSQL running');
      expect(failure?.message).not.toContain(PASSWORD);
    } finally {
      await server.start();
    }
    await backend.putRecords(runId, [{ index: 1, data: Buffer.from('after') }]);
    const records = await backend.getRecords(runId, 0, 10);
    expect(records.map((r) => Buffer.from(r.data).toString())).toEqual(['before', 'after']);
  }, 120_000);

  test('an unreachable server at open is a clear error without the password', async () => {
    // The port the server listened on before it was stopped for good would do; a closed one is simpler.
    const url = `postgres://app:${PASSWORD}@127.0.0.1:1/teams`;
    await expect(StoreSite.of(url).openConversations()).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      message: expect.stringMatching(
        /^conversation store postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/teams is unreachable: connect ECONNREFUSED 127\.0\.0\.1:1; is PostgreSQL running/,
      ),
    });
    await expect(StoreSite.of(url).openConversations()).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(PASSWORD) }),
    );
  });

  test('a database that does not exist is a configuration error that says to create it', async () => {
    const url = withPassword(server.url).replace('/durable_teams', '/no_such_db');
    await expect(StoreSite.of(url).openConversations()).rejects.toMatchObject({
      name: 'StoreConfigError',
      message: expect.stringContaining('create the database'),
    });
  });
});
