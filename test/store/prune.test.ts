import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { StoreBackend } from '../../src/store/backend';
import { FileBackend } from '../../src/store/file-backend';
import { ConversationStore } from '../../src/store/conversation-store';
import { RamBackend } from '../../src/store/ram-backend';
import { keptForForks, pruneStore, runAndOuterRuns, SHARED_BODIES_NOTE } from '../../src/store/prune';
import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';

const write = (backend: StoreBackend, runId: string) => backend.putRecords(runId, [{ index: 0, data: Buffer.from(runId) }]);

describe('pruneStore', () => {
  test('a nested run is owned by every run its id is nested in', () => {
    expect(runAndOuterRuns('a/turn-3/inner')).toEqual(['a/turn-3/inner', 'a/turn-3', 'a']);
    expect(runAndOuterRuns('plain')).toEqual(['plain']);
  });

  test('a run a staying fork shares is kept whole, through a chain of forks, until the last fork is gone', () => {
    const note = (fork: string) => `${fork}/${SHARED_BODIES_NOTE}`;
    const stored = ['orig', 'orig/earlier', 'orig/turn-2/inner', 'f1', note('f1'), 'f2', note('f2'), 'plain', 'plain/turn-1/inner'];
    // f2's note names only f1 here: f1's own note, kept with f1, keeps the original.
    const shares = new Map([
      [note('f1'), ['orig']],
      [note('f2'), ['f1']],
    ]);
    const goneButF2 = stored.filter((id) => id !== 'f2' && id !== note('f2'));
    expect(keptForForks(stored, goneButF2, shares)).toEqual({
      deleted: ['plain', 'plain/turn-1/inner'], // no note: pruned as before forks
      kept: ['orig', 'orig/earlier', 'orig/turn-2/inner', 'f1', note('f1')],
    });
    expect(keptForForks(stored, stored, shares)).toEqual({ deleted: stored, kept: [] });
    // The fork not among the runs looked at (written to lately) keeps its original all the same.
    expect(keptForForks(stored, ['orig', 'orig/earlier', 'orig/turn-2/inner', 'f1', note('f1')], shares).kept).toHaveLength(5);
    // A fork's note written long ago stays while its fork stays, and keeps the original with it.
    expect(keptForForks(['orig', 'f1', note('f1')], ['orig', note('f1')], new Map([[note('f1'), ['orig']]]))).toEqual({
      deleted: [],
      kept: ['orig', note('f1')],
    });
  });

  test('deletes runs that are gone, keeps a gone nested run while its outer run is known, and asks once per id', async () => {
    const backend = new RamBackend();
    for (const runId of ['alive', 'alive/turn-1/inner', 'gone', 'gone/turn-2/inner', 'gone/turn-3/inner']) await write(backend, runId);
    const asked: string[] = [];
    const isRunGone = async (runId: string) => {
      asked.push(runId);
      return runId !== 'alive';
    };
    const dry = await pruneStore(new ConversationStore(backend), { isRunGone, dryRun: true });
    expect(dry).toEqual({ checked: 5, deleted: ['gone', 'gone/turn-2/inner', 'gone/turn-3/inner'], kept: [] });
    expect((await backend.listRuns()).length).toBe(5);
    expect(asked.filter((id) => id === 'gone')).toHaveLength(1);

    const done = await pruneStore(new ConversationStore(backend), { isRunGone });
    expect(done.deleted).toEqual(dry.deleted);
    expect((await backend.listRuns()).map((r) => r.runId).sort()).toEqual(['alive', 'alive/turn-1/inner']);
  });

  test('updatedBefore leaves recently written runs alone, gone or not', async () => {
    const backend = new RamBackend();
    await write(backend, 'old');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cutoff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await write(backend, 'recent');
    expect(await pruneStore(new ConversationStore(backend), { isRunGone: async () => true, updatedBefore: cutoff })).toEqual({
      checked: 1,
      deleted: ['old'],
      kept: [],
    });
  });
});

describe('durable-teams prune (a real Temporal dev server)', () => {
  let client: TeamClient;
  let folder: string;
  const alive = `prune-alive-${randomUUID()}`;
  const gone = `prune-gone-${randomUUID()}`;
  // Temporal forgot it, but the alive run's note says its records point at this one's bodies (a fork).
  const shared = `prune-shared-${randomUUID()}`;

  beforeAll(async () => {
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue: uniqueTaskQueue('prune') });
    // A run Temporal knows; no worker is needed for it to exist.
    await client.client.workflow.start('teamRun', { taskQueue: client.taskQueue, workflowId: alive, args: [] });
    folder = mkdtempSync(join(tmpdir(), 'durable-teams-prune-'));
    const store = await FileBackend.open(folder, { durable: false });
    for (const runId of [alive, `${alive}/turn-1/inner`, gone, `${gone}/turn-2/inner`, shared]) await write(store, runId);
    await new ConversationStore(store).putRunNote(alive, SHARED_BODIES_NOTE, [shared]);
  });
  afterAll(async () => {
    await client?.client.workflow
      .getHandle(alive)
      .terminate('test over')
      .catch(() => {});
    await client?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function prune(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      const code = await main(['node', 'durable-teams', 'prune', '--address', testTemporalAddress(), '--store', `file:${folder}`, ...args]);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('lists with --dry-run, then deletes only what Temporal does not know', async () => {
    const dry = await prune('--dry-run', '--json');
    expect(dry.code).toBe(0);
    const lines = dry.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { runId: string; deleted: boolean });
    expect(lines.map((l) => l.runId).sort()).toEqual([gone, `${gone}/turn-2/inner`]);
    expect(lines.every((l) => !l.deleted)).toBe(true);
    expect(dry.stderr).toContain('6 stored runs checked');
    expect(dry.stderr).toContain('would delete 2; kept 1 that forks still need');

    const real = await prune();
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`deleted ${gone}\n`);
    expect(real.stdout).toContain(`kept ${shared}: `);
    const left = await (await FileBackend.open(folder)).listRuns();
    expect(left.map((r) => r.runId).sort()).toEqual([alive, `${alive}/${SHARED_BODIES_NOTE}`, `${alive}/turn-1/inner`, shared].sort());
  });

  it('--older-than keeps what was written recently; a bad duration is a usage error', async () => {
    const recent = await prune('--older-than', '7d', '--json');
    expect(recent).toMatchObject({ code: 0, stdout: '' });
    expect(recent.stderr).toContain('0 stored runs checked');
    expect((await prune('--older-than', 'a week')).code).toBe(2);
  });
});
