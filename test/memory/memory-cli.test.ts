import { MemoryStore } from '../../src/memory/memory-store';
import { errorLines, expectCleanFailure, jsonLines, runCli } from '../cli/cli-helpers';
import { openBackendUnderTest, type MemoryBackendUnderTest } from './memory-fixtures';

/** `durable-teams memory list|forget` as processes, on memory sealed with the codec, both backends. */
describe.each(['embedded', 'postgres'] as const)('memory list and forget as commands, %s store', (kind) => {
  let backend: MemoryBackendUnderTest;
  const team = `cli-${kind}`;
  const alice = `${team}/user/alice`;

  beforeAll(async () => {
    backend = await openBackendUnderTest(kind);
    await backend.memory.addAll([
      { id: 'a1', scope: alice, text: 'Alice likes short answers.', createdAt: Date.UTC(2026, 0, 1) },
      { id: 'a2', scope: alice, text: 'Alice works in Oslo.', createdAt: Date.UTC(2026, 0, 2) },
      { id: 't1', scope: `${team}/team/${team}`, text: 'The team writes in English.', createdAt: Date.UTC(2026, 0, 3) },
    ]);
  }, 120_000);
  afterAll(() => backend?.close(), 60_000);

  const cli = (args: string[], env: Record<string, string | undefined> = backend.codecEnv) =>
    runCli(['memory', ...args, '--store', backend.url], { env });

  it('lists a scope newest first, as JSON Lines and as text; the team scope needs no key', async () => {
    const json = await cli(['list', '--team', team, '--scope', 'user', '--key', 'alice', '--json']);
    expect(json.code).toBe(0);
    expect(jsonLines(json.stdout)).toEqual([
      { id: 'a2', scope: alice, text: 'Alice works in Oslo.', createdAt: '2026-01-02T00:00:00.000Z' },
      { id: 'a1', scope: alice, text: 'Alice likes short answers.', createdAt: '2026-01-01T00:00:00.000Z' },
    ]);
    const text = await cli(['list', '--team', team]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('2026-01-03T00:00:00.000Z  t1\n  The team writes in English.\n');
    expect(text.stderr).toContain('1 entry');
  }, 60_000);

  it('refuses a scope without its key (usage, exit 2) and cannot read sealed memory without the keys', async () => {
    const noKey = await cli(['list', '--team', team, '--scope', 'user']);
    expect(expectCleanFailure(noKey, 2)).toBe('error: --key: the user scope needs the user key');
    const noCodec = await cli(['list', '--team', team], { DURABLE_TEAMS_CODEC_KEYS: undefined });
    expect(noCodec.code).toBe(1);
    expect(errorLines(noCodec.stderr)).toEqual([expect.stringContaining('set DURABLE_TEAMS_CODEC_KEYS as the workers have it')]);
    expect(noCodec.stdout).not.toContain('English');
  }, 60_000);

  it('forgets one scope and leaves the others', async () => {
    const forgot = await cli(['forget', '--team', team, '--scope', 'user', '--key', 'alice']);
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toBe('forgot 2 entries\n');
    expect(await backend.memory.entries(alice)).toEqual([]);
    expect(await backend.memory.entries(`${team}/team/${team}`)).toHaveLength(1);
    const forgetNeedsScope = await cli(['forget', '--team', team]);
    expect(forgetNeedsScope.code).toBe(2);
  }, 60_000);
});

/** The control for the codec checks: without a codec the bytes do hold the text, so a search would find it. */
it('without the codec, memory text is in the stored bytes (what the sealed tests look for)', async () => {
  const backend = await openBackendUnderTest('embedded');
  try {
    const plain = new MemoryStore(backend.memory.backend);
    await plain.add({ id: 'p1', scope: 'plain/team/plain', text: 'visible turquoise words', createdAt: 1 });
    expect(await backend.rawMemory()).toContain('visible turquoise words');
  } finally {
    await backend.close();
  }
});
