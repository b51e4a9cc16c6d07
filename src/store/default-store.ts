import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { StoreBackend, StoredBody, StoredRecord, StoredRun } from './backend';
import { ConversationStore } from './conversation-store';
import { openStoreBackend, storeUrlFrom } from './open-store';
import { parseStoreUrl, redactStoreUrl } from './store-url';
import { externalPayloadsFromEnv } from './external-payloads';

/** The longest message when it travels inline: 500,000 characters stay under 2 MB as UTF-8 JSON. */
export const INLINE_MAX_MESSAGE_CHARS = 500_000;

/**
 * A backend opened on first use: a library user who builds a worker or a client without naming a
 * store gets the one the environment names (DURABLE_TEAMS_STORE, else the embedded folder), as
 * the CLI does. The CLI opens its store up front instead, so a bad URL stops it at once.
 */
class LazyBackend implements StoreBackend {
  private opened: Promise<StoreBackend> | null = null;

  constructor(private readonly url: string | undefined) {}

  get location(): string {
    const target = parseStoreUrl(this.url);
    return target.kind === 'file' ? target.folder : target.kind === 'memory' ? 'memory' : redactStoreUrl(target.url);
  }

  private backend(): Promise<StoreBackend> {
    this.opened ??= openStoreBackend(this.url).catch((err: unknown) => {
      this.opened = null; // the next use tries again: the store may be up by then
      throw err;
    });
    return this.opened;
  }

  async putBodies(bodies: StoredBody[]): Promise<void> {
    return (await this.backend()).putBodies(bodies);
  }
  async getBodies(keys: string[]): Promise<Map<string, Uint8Array>> {
    return (await this.backend()).getBodies(keys);
  }
  async putRecords(runId: string, records: StoredRecord[]): Promise<void> {
    return (await this.backend()).putRecords(runId, records);
  }
  async getRecords(runId: string, from: number, to: number): Promise<StoredRecord[]> {
    return (await this.backend()).getRecords(runId, from, to);
  }
  async deleteRuns(runIds: string[]): Promise<number> {
    return (await this.backend()).deleteRuns(runIds);
  }
  async listRuns(options?: { updatedBefore?: Date; limit?: number }): Promise<StoredRun[]> {
    return (await this.backend()).listRuns(options);
  }
  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = null;
    if (opened) await (await opened.catch(() => null))?.close();
  }
}

/** One backend per process and URL: workers and clients of one process share its cache and pool. */
const backends = new Map<string, StoreBackend>();

/**
 * The store the environment names, encrypted with the data converter's codec (the one the run's
 * history is encrypted with), for a worker or client that was given none.
 */
export function defaultConversationStore(
  dataConverter?: DataConverter,
  env: Record<string, string | undefined> = process.env,
): ConversationStore {
  const url = storeUrlFrom(env);
  const key = url ?? '';
  let backend = backends.get(key);
  if (!backend) backends.set(key, (backend = new LazyBackend(url)));
  return conversationStoreOn(backend, dataConverter, env);
}

/** A store on an open backend, encrypted with the data converter's codec, as runs' histories are. */
export function conversationStoreOn(
  backend: StoreBackend,
  dataConverter?: DataConverter,
  env: Record<string, string | undefined> = process.env,
): ConversationStore {
  // Without external storage a message must fit in one payload of Temporal's (2 MB).
  const maxMessageChars = env.DURABLE_TEAMS_MAX_MESSAGE_CHARS
    ? Number(env.DURABLE_TEAMS_MAX_MESSAGE_CHARS)
    : externalPayloadsFromEnv(env)
      ? undefined
      : INLINE_MAX_MESSAGE_CHARS;
  return new ConversationStore(backend, {
    codec: singleCodec(dataConverter?.payloadCodecs),
    ...(maxMessageChars ? { maxMessageChars } : {}),
  });
}

/** The converter's codecs as one, applied in the order Temporal applies them. */
export function singleCodec(codecs: PayloadCodec[] | undefined): PayloadCodec | undefined {
  if (!codecs?.length) return undefined;
  if (codecs.length === 1) return codecs[0];
  return {
    encode: async (payloads) => {
      for (const codec of [...codecs].reverse()) payloads = await codec.encode(payloads);
      return payloads;
    },
    decode: async (payloads) => {
      for (const codec of codecs) payloads = await codec.decode(payloads);
      return payloads;
    },
  };
}
