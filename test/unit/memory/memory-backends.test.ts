import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMemory } from '../../../src/memory/file-memory';
import { InProcessMemory } from '../../../src/memory/in-process-memory';
import type { MemoryBackend, StoredMemoryEntry } from '../../../src/memory/memory-backend';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const entry = (id: string, at: number, text = id, namespace = 'team/user/ana'): StoredMemoryEntry => ({
  id,
  namespace,
  createdAt: new Date(at),
  data: bytes(text),
});
const text = (e: StoredMemoryEntry) => Buffer.from(e.data).toString();

/** The memory backend contract, for the backends that need no server (PostgreSQL's runs in test/memory). */
describe.each([
  ['folder', async () => FileMemory.open(mkdtempSync(join(tmpdir(), 'memory-backend-')))],
  ['in-process', async () => new InProcessMemory()],
] as const)('%s memory backend', (_name, open: () => Promise<MemoryBackend>) => {
  it('lists newest first, keeps the first write of an id (a retried write writes once), keeps namespaces apart', async () => {
    const memory = await open();
    await memory.putEntries([entry('a', 1), entry('b', 3), entry('c', 2)]);
    await memory.putEntries([entry('b', 9, 'a retry that must not win'), entry('x', 5, 'x', 'team/user/bob')]);
    expect((await memory.listIds('team/user/ana')).map((e) => [e.id, e.createdAt.getTime()])).toEqual([
      ['b', 3],
      ['c', 2],
      ['a', 1],
    ]);
    expect((await memory.getEntries('team/user/ana', ['b', 'missing'])).map(text)).toEqual(['b']);
    expect(await memory.listIds('team/user/nobody')).toEqual([]);
    expect(await memory.forget('team/user/ana')).toBe(3);
    expect(await memory.listIds('team/user/ana')).toEqual([]);
    expect((await memory.listIds('team/user/bob')).map((e) => e.id)).toEqual(['x']);
  });
});

describe('folder memory shared by processes', () => {
  it('a reader sees what another writer appended after its first read, and a scope forgotten and written again', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'memory-shared-'));
    const reader = await FileMemory.open(folder);
    const writer = await FileMemory.open(folder);
    await writer.putEntries([entry('a', 1)]);
    expect((await reader.listIds('team/user/ana')).map((e) => e.id)).toEqual(['a']);
    await writer.putEntries([entry('b', 2)]);
    expect((await reader.listIds('team/user/ana')).map((e) => e.id)).toEqual(['b', 'a']);
    await writer.forget('team/user/ana');
    await writer.putEntries([entry('c', 3)]);
    expect((await reader.listIds('team/user/ana')).map((e) => e.id)).toEqual(['c']);
    expect((await reader.getEntries('team/user/ana', ['c'])).map(text)).toEqual(['c']);
  });
});
