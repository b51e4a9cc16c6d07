import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../src/store/conversation-store';
import { FileBackend } from '../src/store/file-backend';
import { PostgresBackend } from '../src/store/postgres-backend';
import { startPostgres, type TestPostgres } from '../src/testing/postgres';

export interface BenchStores {
  /** The embedded folder store, and PostgreSQL's when a server could be started here. */
  stores: { name: 'file' | 'postgres'; store: ConversationStore }[];
  close(): Promise<void>;
}

/**
 * A folder store and a PostgreSQL store side by side, for sections that compare the two. A
 * machine without PostgreSQL's server binaries measures the folder store alone, and says so.
 */
export async function openBenchStores(section: string, log: (line: string) => void): Promise<BenchStores> {
  const folder = mkdtempSync(join(tmpdir(), `durable-teams-bench-${section}-`));
  let postgres: TestPostgres | null = null;
  const stores: BenchStores['stores'] = [{ name: 'file', store: new ConversationStore(await FileBackend.open(folder)) }];
  try {
    postgres = await startPostgres();
    stores.push({ name: 'postgres', store: new ConversationStore(await PostgresBackend.open(postgres.url)) });
  } catch (err) {
    log(`  postgres: skipped (${(err as Error).message.split('\n')[0]})`);
  }
  return {
    stores,
    async close() {
      for (const { store } of stores) await store.close();
      await postgres?.destroy();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
