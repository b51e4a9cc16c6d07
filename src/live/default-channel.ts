import type { DataConverter } from '@temporalio/common';
import { storeUrlFrom } from '../store/open-store';
import { parseStoreUrl } from '../store/store-url';
import { singleCodec } from '../store/default-store';
import type { LiveChannel } from './channel';
import { MemoryLiveChannel } from './memory-channel';
import { PostgresLiveChannel } from './postgres-channel';

/** This process's channel for each place (and codec): workers and front ends of one process share it. */
const channels = new Map<string, LiveChannel>();
const sealedChannels = new WeakMap<DataConverter, Map<string, LiveChannel>>();

/**
 * The live channel beside the store the environment names: with PostgreSQL (production, where
 * workers and front ends are separate processes) its LISTEN/NOTIFY; with the embedded folder or
 * memory, this process's memory, which reaches the front ends of the worker's own process — the
 * embedded setup, where `serve` runs both. Sealed with the data converter's codec, as the store is.
 */
export function defaultLiveChannel(dataConverter?: DataConverter, env: Record<string, string | undefined> = process.env): LiveChannel {
  const target = parseStoreUrl(storeUrlFrom(env));
  if (target.kind !== 'postgres') {
    // Memory holds no text anywhere but in this process: no sealing needed, one channel for all.
    let channel = channels.get('memory');
    if (!channel) channels.set('memory', (channel = new MemoryLiveChannel()));
    return channel;
  }
  const codec = singleCodec(dataConverter?.payloadCodecs);
  let byUrl = codec && dataConverter ? sealedChannels.get(dataConverter) : channels;
  if (!byUrl) sealedChannels.set(dataConverter!, (byUrl = new Map()));
  let channel = byUrl.get(target.url);
  if (!channel) byUrl.set(target.url, (channel = new PostgresLiveChannel(target.url, codec)));
  return channel;
}
