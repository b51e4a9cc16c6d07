import type { DataConverter } from '@temporalio/common';
import { singleCodec } from '../store/sealing';
import { StoreSite } from './store-site';
import { storeUrlFrom } from '../store/store-url';
import type { MemoryBackend } from '../memory/memory-backend';
import { MemoryStore } from '../memory/memory-store';

/**
 * Memory beside the store DURABLE_TEAMS_STORE names, sealed with the data converter's codec and
 * opened on first use: a worker whose teams keep no memory never opens it.
 */
export function defaultMemoryStore(dataConverter?: DataConverter, env: Record<string, string | undefined> = process.env): MemoryStore {
  return memoryStoreOn(StoreSite.of(storeUrlFrom(env)).memory, dataConverter);
}

/** Memory on a backend, sealed with the data converter's codec (the one the runs use). */
export function memoryStoreOn(backend: MemoryBackend, dataConverter?: DataConverter): MemoryStore {
  return new MemoryStore(backend, { codec: singleCodec(dataConverter?.payloadCodecs) });
}
