import type { ShapedReply } from '../model/agent-output';
import { applyModelContext } from '../core/model-context';
import type {
  AgentTurnRequest,
  ConversationEntry,
  CustomSelectionRequest,
  ModelReply,
  PromptMessage,
  RemoteTurnRequest,
  SelectSpeakerRequest,
  ToolOutcome,
} from '../core/activity-contract';
import { agentView, entriesToSend, sharedView } from '../core/request-builders';
import { renderSelectorPrompt } from '../core/selector-prompt';
import type { ConversationStore } from './conversation-store';

/**
 * Requests name their conversation; these read it, so a model sees what it always saw, and store
 * what a step produced, once. Requests of runs begun before the store carry the conversation
 * itself and are taken as they are. Shared by the activities and runLocal.
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

/** A reply, its text and calls stored once: the run records the message by the key. */
export async function storeReply(store: ConversationStore, runId: string, reply: ShapedReply, who: string): Promise<ModelReply> {
  store.checkSize(reply.content, `${who}'s reply`);
  const { attachments, ...plain } = reply;
  const toolCalls = reply.toolCalls?.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }));
  const ref = await store.putBody(runId, {
    content: reply.content,
    ...(toolCalls ? { toolCalls } : {}),
    ...(attachments?.length ? { attachments } : {}),
  });
  // What came with the reply is read from the store with its text: it never goes to the run.
  return { ...plain, ref };
}

/** A tool's output, stored once. A remote tool still waiting on a person has none yet. */
export async function storeOutcome(store: ConversationStore, runId: string, outcome: ToolOutcome, tool: string): Promise<ToolOutcome> {
  if (outcome.waiting) return outcome;
  // Too long an output is not taken: the model is told why, as for any failed call.
  const limit = store.maxMessageChars;
  if (outcome.content.length > limit) {
    outcome = { v: 1, content: `the output of ${tool} has ${outcome.content.length} characters; the limit is ${limit}`, isError: true };
  }
  return { ...outcome, ref: await store.putBody(runId, { content: outcome.content }) };
}
