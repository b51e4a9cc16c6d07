import type { DataConverter } from '@temporalio/common';
import type { MemoryBackend } from '../memory/memory-backend';
import { MemoryStore } from '../memory/memory-store';
import type { StoreBackend } from '../store/backend';
import { ConversationStore } from '../store/conversation-store';
import { externalPayloadsFromEnv } from '../store/external-payloads';
import { singleCodec } from '../store/sealing';

/** The longest message when it travels inline: 500,000 characters stay under 2 MB as UTF-8 JSON. */
export const INLINE_MAX_MESSAGE_CHARS = 500_000;

/** Conversations on a backend, sealed with the data converter's codec, as runs' histories are. */
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

/** Memory on a backend, sealed with the data converter's codec (the one the runs use). */
export function memoryStoreOn(backend: MemoryBackend, dataConverter?: DataConverter): MemoryStore {
  return new MemoryStore(backend, { codec: singleCodec(dataConverter?.payloadCodecs) });
}
