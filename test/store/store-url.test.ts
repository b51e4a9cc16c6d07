import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { readEnvironment } from '../../src/config/environment';
import { FileBackend } from '../../src/store/file-backend';
import { RamBackend } from '../../src/store/ram-backend';
import { StoreSite } from '../../src/site/store-site';
import { parseStoreUrl, redactStoreUrl, storeUrlFrom } from '../../src/store/store-url';

describe('store URLs', () => {
  const cwd = '/srv/teams';

  test.each([
    [undefined, { kind: 'file', folder: '/srv/teams/.durable-teams/conversations' }],
    ['', { kind: 'file', folder: '/srv/teams/.durable-teams/conversations' }],
    ['data/store', { kind: 'file', folder: '/srv/teams/data/store' }],
    ['/var/lib/teams', { kind: 'file', folder: '/var/lib/teams' }],
    ['file:data/store', { kind: 'file', folder: '/srv/teams/data/store' }],
    ['file:///var/lib/teams', { kind: 'file', folder: '/var/lib/teams' }],
    ['memory:', { kind: 'memory' }],
  ])('%p is %p', (url, target) => {
    expect(parseStoreUrl(url, cwd)).toEqual(target);
  });

  test('a PostgreSQL URL keeps its password for connecting, and shows it as ***', () => {
    expect(parseStoreUrl('postgresql://app:s3cret@db:5432/teams', cwd)).toEqual({
      kind: 'postgres',
      url: 'postgresql://app:s3cret@db:5432/teams',
      location: 'postgresql://app:***@db:5432/teams',
    });
    expect(redactStoreUrl('postgres://app@db/teams?password=s3cret&sslmode=require')).toBe(
      'postgres://app@db/teams?password=***&sslmode=require',
    );
  });

  test('an unknown scheme names the accepted forms, without the password', () => {
    expect(() => parseStoreUrl('mysql://app:s3cret@db/teams', cwd)).toThrow(
      /^conversation store mysql:\/\/app:\*\*\*@db\/teams has an unsupported scheme "mysql:"; use a folder path or file:PATH, or postgres:\/\/.*, or memory:$/,
    );
  });

  test('DURABLE_TEAMS_STORE is checked with the environment, its password never quoted', () => {
    expect(readEnvironment({ DURABLE_TEAMS_STORE: 'postgres://app:s3cret@db/teams' }).DURABLE_TEAMS_STORE).toBe(
      'postgres://app:s3cret@db/teams',
    );
    let error: unknown;
    try {
      readEnvironment({ DURABLE_TEAMS_STORE: 'redis://app:s3cret@cache' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^DURABLE_TEAMS_STORE: conversation store redis:\/\/app:\*\*\*@cache.* unsupported scheme/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  test('storeUrlFrom reads DURABLE_TEAMS_STORE, empty meaning unset', () => {
    expect(storeUrlFrom({ DURABLE_TEAMS_STORE: ' memory: ' })).toBe('memory:');
    expect(storeUrlFrom({ DURABLE_TEAMS_STORE: '' })).toBeUndefined();
    expect(storeUrlFrom({})).toBeUndefined();
  });

  test('StoreSite opens the default folder under cwd, and memory:', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'durable-teams-open-'));
    try {
      const backend = await StoreSite.of(undefined, dir).openConversations();
      expect(backend).toBeInstanceOf(FileBackend);
      expect(backend.location).toBe(join(dir, '.durable-teams/conversations'));
      expect(await StoreSite.of('memory:').openConversations()).toBeInstanceOf(RamBackend);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
