import type { DataConverter } from '@temporalio/common';
import type { MemoryStore } from '../memory/memory-store';
import { storeUrlFrom } from '../store/store-url';
import { StoreSite } from './store-site';

export { memoryStoreOn } from './sealed-stores';

/**
 * Memory beside the store DURABLE_TEAMS_STORE names, sealed with the data converter's codec and
 * opened on first use: a worker whose teams keep no memory never opens it.
 */
export function defaultMemoryStore(dataConverter?: DataConverter, env: Record<string, string | undefined> = process.env): MemoryStore {
  return StoreSite.of(storeUrlFrom(env)).sealed(dataConverter, env).memory;
}
