import { randomUUID } from 'node:crypto';
import type { StoreBackend, StoredRecord } from '../../src/store/backend';

/** What every StoreBackend does, whatever keeps its bytes. */
export interface ContractSubject {
  backend(): StoreBackend;
  /** A second backend on the same storage (another process, in effect); absent for memory. */
  another?(): StoreBackend;
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const text = (data: Uint8Array | undefined) => (data ? Buffer.from(data).toString() : undefined);
const texts = (records: StoredRecord[]) => records.map((r) => [r.index, text(r.data)]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeBackendContract(subject: ContractSubject): void {
  // Runs are unique per test, so one backend serves a whole file.
  const newRun = () => `run-${randomUUID()}/turn-3/Inner`;

  test('bodies are written once: a second write under a key keeps the first bytes', async () => {
    const runId = newRun();
    const key = `${runId}#${randomUUID()}`;
    await subject.backend().putBodies([{ key, runId, data: bytes('first') }]);
    await subject.backend().putBodies([{ key, runId, data: bytes('second') }]);
    const found = await subject.backend().getBodies([key, `${key}-missing`]);
    expect(text(found.get(key))).toBe('first');
    expect(found.has(`${key}-missing`)).toBe(false);
  });

  test('writes are idempotent: the same batch twice reads back once', async () => {
    const runId = newRun();
    const body = { key: randomUUID(), runId, data: bytes('hello') };
    const records = [
      { index: 0, data: bytes('task') },
      { index: 1, data: bytes('reply') },
    ];
    for (let i = 0; i < 2; i++) {
      await subject.backend().putBodies([body]);
      await subject.backend().putRecords(runId, records);
    }
    expect(texts(await subject.backend().getRecords(runId, 0, 10))).toEqual([
      [0, 'task'],
      [1, 'reply'],
    ]);
    expect(text((await subject.backend().getBodies([body.key])).get(body.key))).toBe('hello');
  });

  test('a range of records comes back by index, with the indexes never written missing', async () => {
    const runId = newRun();
    await subject.backend().putRecords(
      runId,
      [5, 1, 3, 8].map((index) => ({ index, data: bytes(`r${index}`) })),
    );
    expect(texts(await subject.backend().getRecords(runId, 1, 8))).toEqual([
      [1, 'r1'],
      [3, 'r3'],
      [5, 'r5'],
    ]);
    expect(texts(await subject.backend().getRecords(runId, 0, Infinity))).toEqual([
      [1, 'r1'],
      [3, 'r3'],
      [5, 'r5'],
      [8, 'r8'],
    ]);
    expect(await subject.backend().getRecords(runId, 6, 8)).toEqual([]);
    expect(await subject.backend().getRecords(newRun(), 0, 10)).toEqual([]);
  });

  test('a later record for an index replaces the earlier one, in one batch or across batches', async () => {
    const runId = newRun();
    await subject.backend().putRecords(runId, [{ index: 2, data: bytes('old') }]);
    await subject.backend().putRecords(runId, [{ index: 2, data: bytes('newer') }]);
    await subject.backend().putRecords(runId, [
      { index: 3, data: bytes('a') },
      { index: 3, data: bytes('b') },
    ]);
    expect(texts(await subject.backend().getRecords(runId, 0, 10))).toEqual([
      [2, 'newer'],
      [3, 'b'],
    ]);
  });

  test('bytes come back exactly, including every byte value and the empty record', async () => {
    const runId = newRun();
    const all = new Uint8Array(256).map((_, i) => i);
    await subject.backend().putRecords(runId, [
      { index: 0, data: all },
      { index: 1, data: new Uint8Array(0) },
    ]);
    await subject.backend().putBodies([{ key: `${runId}:all`, runId, data: all }]);
    const [first, second] = await subject.backend().getRecords(runId, 0, 2);
    expect(Buffer.from(first!.data).equals(Buffer.from(all))).toBe(true);
    expect(second!.data.byteLength).toBe(0);
    expect(Buffer.from((await subject.backend().getBodies([`${runId}:all`])).get(`${runId}:all`)!).equals(Buffer.from(all))).toBe(true);
  });

  test('deleteRuns removes bodies and records of those runs only, and counts the runs that had something', async () => {
    const [gone, kept] = [newRun(), newRun()];
    for (const runId of [gone, kept]) {
      await subject.backend().putBodies([{ key: `${runId}:b`, runId, data: bytes('body') }]);
      await subject.backend().putRecords(runId, [{ index: 0, data: bytes('rec') }]);
    }
    expect(await subject.backend().deleteRuns([gone, newRun()])).toBe(1);
    expect((await subject.backend().getBodies([`${gone}:b`])).size).toBe(0);
    expect(await subject.backend().getRecords(gone, 0, 10)).toEqual([]);
    expect((await subject.backend().getBodies([`${kept}:b`])).size).toBe(1);
    expect(await subject.backend().getRecords(kept, 0, 10)).toHaveLength(1);
    const listed = (await subject.backend().listRuns()).map((r) => r.runId);
    expect(listed).toContain(kept);
    expect(listed).not.toContain(gone);
    expect(await subject.backend().deleteRuns([gone])).toBe(0);
  });

  test('listRuns tells when each run was last written, and updatedBefore leaves out runs written since', async () => {
    const [older, newer] = [newRun(), newRun()];
    await subject.backend().putRecords(older, [{ index: 0, data: bytes('x') }]);
    await pause(50);
    const between = new Date();
    await pause(50);
    await subject.backend().putBodies([{ key: `${newer}:b`, runId: newer, data: bytes('y') }]);
    const all = await subject.backend().listRuns();
    expect(all.map((r) => r.runId)).toEqual(expect.arrayContaining([older, newer]));
    const before = (await subject.backend().listRuns({ updatedBefore: between })).map((r) => r.runId);
    expect(before).toContain(older);
    expect(before).not.toContain(newer);
    expect(all.find((r) => r.runId === newer)!.updatedAt.getTime()).toBeGreaterThanOrEqual(between.getTime());
    expect(await subject.backend().listRuns({ limit: 1 })).toHaveLength(1);
  });

  test('5,000 records of a run read back in order, whole or by range', async () => {
    const runId = newRun();
    const records = Array.from({ length: 5_000 }, (_, index) => ({ index, data: bytes(`message ${index} ${'x'.repeat(index % 200)}`) }));
    for (let i = 0; i < records.length; i += 500) await subject.backend().putRecords(runId, records.slice(i, i + 500));
    const started = Date.now();
    const all = await subject.backend().getRecords(runId, 0, 5_000);
    const page = await subject.backend().getRecords(runId, 4_990, 5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(all.map((r) => r.index)).toEqual(records.map((r) => r.index));
    expect(text(all[4_321]!.data)).toBe(text(records[4_321]!.data));
    expect(page.map((r) => r.index)).toEqual([4_990, 4_991, 4_992, 4_993, 4_994, 4_995, 4_996, 4_997, 4_998, 4_999]);
  });

  test('two writers on the same storage, interleaved, lose nothing', async () => {
    const another = subject.another?.();
    if (!another) return; // one process's memory has no second writer
    const runId = newRun();
    const writers = [subject.backend(), another];
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = w; i < 200; i += 2) {
          await writer.putRecords(runId, [{ index: i, data: bytes(`rec ${i}`) }]);
          await writer.putBodies([
            { key: `${runId}:${i}`, runId, data: bytes(`body ${i}`) },
            { key: `${runId}:shared`, runId, data: bytes('same') },
          ]);
        }
      }),
    );
    for (const reader of writers) {
      const records = await reader.getRecords(runId, 0, 200);
      expect(records.map((r) => text(r.data))).toEqual(Array.from({ length: 200 }, (_, i) => `rec ${i}`));
      const keys = [...Array.from({ length: 200 }, (_, i) => `${runId}:${i}`), `${runId}:shared`];
      const bodies = await reader.getBodies(keys);
      expect(bodies.size).toBe(201);
      expect(text(bodies.get(`${runId}:shared`))).toBe('same');
    }
    expect(await another.deleteRuns([runId])).toBe(1);
    expect(await subject.backend().getRecords(runId, 0, 200)).toEqual([]);
  });
}
