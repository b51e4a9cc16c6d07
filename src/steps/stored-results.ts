import type { ShapedReply } from '../model/agent-output';
import type { ModelReply, ToolOutcome } from '../core/activity-contract';
import type { ConversationStore } from '../store/conversation-store';

/**
 * What a step produced, written to the store once: the run's record then names it by its key
 * (`ref`), and its text is in the run's history only as the result of the step that wrote it.
 */

/**
 * A reply, its text and calls stored once: the run records the message by the key. `keep`: where
 * the step's answer is also kept, in the same write, for a later attempt of the step (keptReply);
 * its text only once, in the body the answer names.
 */
export async function storeReply(
  store: ConversationStore,
  runId: string,
  reply: ShapedReply,
  who: string,
  keep?: string,
): Promise<ModelReply> {
  store.checkSize(reply.content, `${who}'s reply`);
  const { attachments, ...plain } = reply;
  const toolCalls = reply.toolCalls?.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }));
  const body = { content: reply.content, ...(toolCalls ? { toolCalls } : {}), ...(attachments?.length ? { attachments } : {}) };
  // What came with the reply is read from the store with its text: it never goes to the run.
  const answer: ModelReply = { ...plain, ref: store.newBodyKey(runId) };
  const { content: _inBody, ...kept } = answer;
  await store.putBody(runId, body, keep ? { [keep]: kept } : {}, answer.ref);
  return answer;
}

/** The answer storeReply kept under `keep`, whole again (its text from its body); null where none was kept. */
export async function keptReply(store: ConversationStore, keep: string): Promise<ModelReply | null> {
  const kept = (await store.firstValues<Omit<ModelReply, 'content'>>([keep])).get(keep);
  const body = kept?.ref ? (await store.firstValues<{ content: string }>([kept.ref])).get(kept.ref) : undefined;
  return kept && body ? { ...kept, content: body.content } : null;
}

/** A tool's output, stored once. A remote tool still waiting on a person has none yet. */
export async function storeOutcome(store: ConversationStore, runId: string, outcome: ToolOutcome, tool: string): Promise<ToolOutcome> {
  if (outcome.waiting) return outcome;
  // Too long an output is not taken: the model is told why, as for any failed call.
  const limit = store.maxMessageChars;
  if (outcome.content.length > limit) {
    outcome = { v: 1, content: `the output of ${tool} has ${outcome.content.length} characters; the limit is ${limit}`, isError: true };
  }
  // What came besides the text is stored with it and goes no further: the run records the key.
  const { attachments, ...plain } = outcome;
  return { ...plain, ref: await store.putBody(runId, { content: outcome.content, ...(attachments?.length ? { attachments } : {}) }) };
}
