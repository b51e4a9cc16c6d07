import type { LiveItem } from '../../src/core/live';
import type { LiveChannel } from '../../src/live/channel';
import type { StoreBackend, StoredBody, StoredRecord } from '../../src/store/backend';
import { RamBackend } from '../../src/store/ram-backend';

/** A store backend that counts its round trips, by kind. */
export class CountingBackend implements StoreBackend {
  readonly counts = { putBodies: 0, getBodies: 0, putRecords: 0, getRecords: 0 };
  constructor(private readonly inner: StoreBackend = new RamBackend()) {}
  get location() {
    return this.inner.location;
  }
  putBodies(bodies: StoredBody[]) {
    this.counts.putBodies += 1;
    return this.inner.putBodies(bodies);
  }
  getBodies(keys: string[]) {
    this.counts.getBodies += 1;
    return this.inner.getBodies(keys);
  }
  putRecords(runId: string, records: StoredRecord[]) {
    this.counts.putRecords += 1;
    return this.inner.putRecords(runId, records);
  }
  getRecords(runId: string, from: number, to: number) {
    this.counts.getRecords += 1;
    return this.inner.getRecords(runId, from, to);
  }
  deleteRuns(runIds: string[]) {
    return this.inner.deleteRuns(runIds);
  }
  listRuns(options?: { updatedBefore?: Date; limit?: number }) {
    return this.inner.listRuns(options);
  }
  close() {
    return this.inner.close();
  }
}

/** The worker's live channel, counting the items it carries by type. */
export function countingChannel(inner: LiveChannel | null): LiveChannel & { byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  return {
    byType,
    async publish(runId: string, items: LiveItem[]) {
      for (const item of items) byType[item.type] = (byType[item.type] ?? 0) + 1;
      await inner?.publish(runId, items);
    },
    subscribe: (runId, onItems) => inner?.subscribe(runId, onItems) ?? Promise.resolve(async () => undefined),
    close: async () => inner?.close(),
  };
}
