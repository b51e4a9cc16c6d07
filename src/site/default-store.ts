import type { DataConverter } from '@temporalio/common';
import type { ConversationStore } from '../store/conversation-store';
import { storeUrlFrom } from '../store/store-url';
import { StoreSite } from './store-site';

export { conversationStoreOn, INLINE_MAX_MESSAGE_CHARS } from './sealed-stores';

/**
 * The store the environment names, encrypted with the data converter's codec (the one the run's
 * history is encrypted with), for a worker or client that was given none.
 */
export function defaultConversationStore(
  dataConverter?: DataConverter,
  env: Record<string, string | undefined> = process.env,
): ConversationStore {
  // The site's own conversations: workers and clients of one process share its cache and pool.
  return StoreSite.of(storeUrlFrom(env)).sealed(dataConverter, env).conversations;
}
