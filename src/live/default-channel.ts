import type { DataConverter } from '@temporalio/common';
import { storeUrlFrom } from '../store/open-store';
import { parseStoreUrl } from '../store/store-url';
import { singleCodec } from '../store/default-store';
import type { LiveChannel } from './channel';
import { LocalLiveChannel } from './local-channel';
import { RamLiveChannel } from './ram-channel';
import { PostgresLiveChannel } from './postgres-channel';

/** This process's channel for each place (and codec): workers and front ends of one process share it. */
const channels = new Map<string, LiveChannel>();
const sealedChannels = new WeakMap<DataConverter, Map<string, LiveChannel>>();

/**
 * The live channel beside the store the environment names: with PostgreSQL (production, where
 * workers and front ends are separate processes) its LISTEN/NOTIFY; with the embedded folder, Unix
 * sockets beside it that reach every process of this user using that folder (a `worker`, a `serve`,
 * a `run` in terminals of their own); with memory, this process's memory, as the store is. Sealed
 * with the data converter's codec, as the store is.
 */
export function defaultLiveChannel(dataConverter?: DataConverter, env: Record<string, string | undefined> = process.env): LiveChannel {
  const target = parseStoreUrl(storeUrlFrom(env));
  if (target.kind === 'memory') {
    // Memory holds no text anywhere but in this process: no sealing needed, one channel for all.
    let channel = channels.get('memory');
    if (!channel) channels.set('memory', (channel = new RamLiveChannel()));
    return channel;
  }
  const codec = singleCodec(dataConverter?.payloadCodecs);
  let byPlace = codec && dataConverter ? sealedChannels.get(dataConverter) : channels;
  if (!byPlace) sealedChannels.set(dataConverter!, (byPlace = new Map()));
  const place = target.kind === 'postgres' ? target.url : `file:${target.folder}`;
  let channel = byPlace.get(place);
  if (!channel)
    byPlace.set(
      place,
      (channel = target.kind === 'postgres' ? new PostgresLiveChannel(target.url, codec) : new LocalLiveChannel(target.folder, codec)),
    );
  return channel;
}
