import type { StoreBackend, StoredBody, StoredRecord, StoredRun } from './backend';

/**
 * Conversations in this process's RAM: what runLocal uses, where nothing outlives the process anyway.
 */
export class RamBackend implements StoreBackend {
  readonly location = 'memory';
  private readonly bodies = new Map<string, StoredBody>();
  private readonly records = new Map<string, Map<number, Uint8Array>>();
  private readonly touched = new Map<string, Date>();

  async putBodies(bodies: StoredBody[]): Promise<void> {
    for (const body of bodies) {
      if (!this.bodies.has(body.key)) this.bodies.set(body.key, body);
      this.touched.set(body.runId, new Date());
    }
  }

  async getBodies(keys: string[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    for (const key of keys) {
      const body = this.bodies.get(key);
      if (body) found.set(key, body.data);
    }
    return found;
  }

  async putRecords(runId: string, records: StoredRecord[]): Promise<void> {
    const run = this.records.get(runId) ?? new Map<number, Uint8Array>();
    for (const record of records) run.set(record.index, record.data);
    this.records.set(runId, run);
    this.touched.set(runId, new Date());
  }

  async getRecords(runId: string, from: number, to: number): Promise<StoredRecord[]> {
    const run = this.records.get(runId);
    if (!run) return [];
    return [...run]
      .filter(([index]) => index >= from && index < to)
      .sort(([a], [b]) => a - b)
      .map(([index, data]) => ({ index, data }));
  }

  async deleteRuns(runIds: string[]): Promise<number> {
    let deleted = 0;
    for (const runId of runIds) {
      const had = this.touched.delete(runId);
      this.records.delete(runId);
      for (const [key, body] of this.bodies) if (body.runId === runId) this.bodies.delete(key);
      if (had) deleted += 1;
    }
    return deleted;
  }

  async listRuns(options: { updatedBefore?: Date; limit?: number } = {}): Promise<StoredRun[]> {
    const runs = [...this.touched]
      .filter(([, at]) => !options.updatedBefore || at < options.updatedBefore)
      .map(([runId, updatedAt]) => ({ runId, updatedAt }));
    return options.limit !== undefined ? runs.slice(0, options.limit) : runs;
  }

  async close(): Promise<void> {}
}
