import { randomUUID } from 'node:crypto';
import { ExternalStorage, StorageDriverClaim, type DataConverter, type Payload, type StorageDriver } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { StoreBackend } from './backend';

/**
 * Temporal's external storage (experimental in the SDK) over the conversation store: any payload
 * above the threshold — a tool's output of several megabytes, a huge reply, a big team spec —
 * is written to the store and history keeps a small claim instead. It applies after the payload
 * codec, so what is stored is encrypted when history would have been.
 */
export const EXTERNAL_PAYLOAD_THRESHOLD_BYTES = 256 * 1024;

/** Claims keep this key; the body's key begins with the run's id, so pruning a run takes its payloads too. */
const CLAIM_KEY = 'key';

/** Runs share nothing: a payload that names no workflow (a client's, before a run exists) is kept apart. */
const UNATTRIBUTED = 'external-payloads';

export function storeDriver(backend: StoreBackend): StorageDriver {
  return {
    name: 'durable-teams-store',
    type: 'durable-teams.conversation-store',
    async store(context, payloads) {
      const runId = context.target?.kind === 'workflow' && context.target.id ? context.target.id : UNATTRIBUTED;
      const bodies = payloads.map((payload) => ({
        key: `${runId}/payload-${randomUUID()}`,
        runId,
        data: temporal.api.common.v1.Payload.encode(payload).finish(),
      }));
      await backend.putBodies(bodies);
      return bodies.map((b) => new StorageDriverClaim({ [CLAIM_KEY]: b.key }));
    },
    async retrieve(_context, claims) {
      const keys = claims.map((c) => c.claimData[CLAIM_KEY] ?? '');
      const found = await backend.getBodies(keys);
      return keys.map((key): Payload => {
        const data = found.get(key);
        if (!data)
          throw new Error(`a payload kept in the conversation store ${backend.location} is missing (key ${key}): pruned or deleted?`);
        const stored = temporal.api.common.v1.Payload.decode(data);
        return { metadata: { ...stored.metadata }, data: stored.data };
      });
    },
  };
}

export const EXTERNAL_PAYLOADS_ENV = 'DURABLE_TEAMS_EXTERNAL_PAYLOADS';

/**
 * Is external storage asked for? Off by default: the SDK then visits every payload of every task
 * to find large ones, which cost about 4 ms a turn here (`npm run bench`), more than the whole
 * conversation store. Workers and every client must agree.
 */
export function externalPayloadsFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env[EXTERNAL_PAYLOADS_ENV] ?? '').trim().toLowerCase());
}

/** The data converter with large payloads kept in the store: workers and clients must both use it. */
export function withExternalPayloads(
  dataConverter: DataConverter | undefined,
  backend: StoreBackend,
  thresholdBytes = EXTERNAL_PAYLOAD_THRESHOLD_BYTES,
): DataConverter {
  return {
    ...dataConverter,
    externalStorage: new ExternalStorage({ drivers: [storeDriver(backend)], payloadSizeThreshold: thresholdBytes }),
  };
}

/** The data converter a worker or client uses: the codec's, with external payloads when asked. */
export function dataConverterOf(
  dataConverter: DataConverter | undefined,
  backend: StoreBackend,
  externalPayloads = externalPayloadsFromEnv(),
): { dataConverter?: DataConverter } {
  if (externalPayloads) return { dataConverter: withExternalPayloads(dataConverter, backend) };
  return dataConverter ? { dataConverter } : {};
}
