import type { DataConverter } from '@temporalio/common';
import { StoreSite } from './store-site';
import { storeUrlFrom } from '../store/store-url';
import type { LiveChannel } from '../live/channel';

/**
 * The live channel beside the store the environment names, sealed with the data converter's
 * codec, as the store is; workers and front ends of one process share it (see StoreSite.liveChannel).
 */
export function defaultLiveChannel(dataConverter?: DataConverter, env: Record<string, string | undefined> = process.env): LiveChannel {
  return StoreSite.of(storeUrlFrom(env)).sealed(dataConverter, env).live;
}
