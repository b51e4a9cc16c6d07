import type { DataConverter } from '@temporalio/common';
import type { StoreBackend } from '../store/backend';
import { ConversationStore } from '../store/conversation-store';
import { externalPayloadsFromEnv } from '../store/external-payloads';
import { singleCodec } from '../store/sealing';
import { StoreSite } from './store-site';
import { storeUrlFrom } from '../store/store-url';

/** The longest message when it travels inline: 500,000 characters stay under 2 MB as UTF-8 JSON. */
export const INLINE_MAX_MESSAGE_CHARS = 500_000;

/**
 * The store the environment names, encrypted with the data converter's codec (the one the run's
 * history is encrypted with), for a worker or client that was given none.
 */
export function defaultConversationStore(
  dataConverter?: DataConverter,
  env: Record<string, string | undefined> = process.env,
): ConversationStore {
  // The site's own conversations: workers and clients of one process share its cache and pool.
  return conversationStoreOn(StoreSite.of(storeUrlFrom(env)).conversations, dataConverter, env);
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
