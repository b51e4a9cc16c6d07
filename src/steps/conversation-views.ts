import { applyModelContext } from '../core/model-context';
import type {
  AgentTurnRequest,
  ConversationEntry,
  CustomSelectionRequest,
  PromptMessage,
  RemoteTurnRequest,
  SelectSpeakerRequest,
} from '../core/activity-contract';
import { agentView, entriesToSend, sharedView } from '../core/request-builders';
import { renderSelectorPrompt } from '../core/selector-prompt';
import type { ConversationStore } from '../store/conversation-store';

/**
 * Requests name their conversation; these read it, so a model sees what it always saw. Requests
 * of runs begun before the store carry the conversation itself and are taken as they are. Shared
 * by the steps, the activities and runLocal (stored-results.ts writes what a step produced).
 */

/** The agent's view, cut by its model context, as its model call sees it. */
export async function agentViewFor(store: ConversationStore, request: AgentTurnRequest): Promise<ConversationEntry[]> {
  if (!request.conversation) return request.messages ?? [];
  const messages = await store.conversation(request.conversation);
  return applyModelContext(request.context, agentView(messages, request.agent.name));
}

/** The selector's prompt, with the history filled in, and what followed it. */
export async function selectorPromptFor(store: ConversationStore, request: SelectSpeakerRequest): Promise<PromptMessage[]> {
  if (!request.conversation || !request.prompt) return request.messages;
  const messages = await store.conversation(request.conversation);
  return [{ role: 'user', content: renderSelectorPrompt(request.prompt, sharedView(messages)) }, ...request.messages];
}

/** What the team's selector function and candidate filter see: the shared conversation. */
export async function sharedViewFor(store: ConversationStore, request: CustomSelectionRequest): Promise<ConversationEntry[]> {
  if (!request.conversation) return request.messages ?? [];
  return sharedView(await store.conversation(request.conversation));
}

/** What goes to a remote agent: the whole shared conversation, or its last message. */
export async function entriesForRemote(store: ConversationStore, request: RemoteTurnRequest): Promise<ConversationEntry[]> {
  if (!request.conversation) return request.messages ?? [];
  return entriesToSend(await store.conversation(request.conversation), request.send);
}
