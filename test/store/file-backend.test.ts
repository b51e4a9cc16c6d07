import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBackend } from '../../src/store/file-backend';
import { safeFileName } from '../../src/store/file-names';
import { describeBackendContract } from './backend-contract';

describe('FileBackend', () => {
  let folder: string;
  let backend: FileBackend;
  let another: FileBackend;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'durable-teams-store-'));
    backend = await FileBackend.open(folder);
    another = await FileBackend.open(folder);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe('the store contract', () => {
    describeBackendContract({ backend: () => backend, another: () => another });
  });

  describe('the store contract, every write flushed to disk (durable)', () => {
    let durable: FileBackend;
    let twin: FileBackend;
    beforeAll(async () => {
      durable = await FileBackend.open(join(folder, 'durable'), { durable: true });
      twin = await FileBackend.open(join(folder, 'durable'), { durable: true });
    });
    describeBackendContract({ backend: () => durable, another: () => twin });
  });

  test('a torn last line (a writer that died mid-append) is skipped, and later appends still read', async () => {
    const runId = 'torn/turn-1';
    await backend.putRecords(runId, [{ index: 0, data: Buffer.from('whole') }]);
    // What a crash mid-write leaves: an entry cut off inside its base64, with no newline.
    appendFileSync(
      join(folder, 'runs', safeFileName(runId), 'records.log'),
      `\n1 40 ${Buffer.from('a record of forty bytes, cut short.....').toString('base64').slice(0, 20)}`,
    );
    expect((await backend.getRecords(runId, 0, 10)).map((r) => r.index)).toEqual([0]);
    await backend.putRecords(runId, [{ index: 1, data: Buffer.from('written again') }]);
    const records = await backend.getRecords(runId, 0, 10);
    expect(records.map((r) => [r.index, Buffer.from(r.data).toString()])).toEqual([
      [0, 'whole'],
      [1, 'written again'],
    ]);
  });

  test('run folders are named safely: a run id with slashes and capitals is one folder, apart from its lowercase twin', async () => {
    await backend.putRecords('Outer/turn-2/inner', [{ index: 0, data: Buffer.from('A') }]);
    await backend.putRecords('outer/turn-2/inner', [{ index: 0, data: Buffer.from('a') }]);
    const names = readdirSync(join(folder, 'runs'));
    expect(names).toEqual(expect.arrayContaining(['%4futer%2fturn-2%2finner', 'outer%2fturn-2%2finner']));
    expect(Buffer.from((await backend.getRecords('Outer/turn-2/inner', 0, 1))[0]!.data).toString()).toBe('A');
    const listed = (await backend.listRuns()).map((r) => r.runId);
    expect(listed).toEqual(expect.arrayContaining(['Outer/turn-2/inner', 'outer/turn-2/inner']));
  });

  test('no temp files are left behind', () => {
    const all = readdirSync(folder, { recursive: true }).map(String);
    expect(all.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
