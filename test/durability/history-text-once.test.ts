import { PROMPT_CHARS } from '../../src/core/run-head';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONVERSATION_STORE_PATCH } from '../../workflows/stored-conversation';
import { decodedHistoryText } from '../helpers/history-text';
import { HISTORIES_DIR, loadHistories, REPLY_MARK } from './histories';

/**
 * The rule the conversation store is for (DESIGN, "Rules that keep it durable"): each message's
 * text is in a run's history at most once, as the result of the activity that wrote it. The
 * recorded runs' model replies carry marks (REPLY_MARK, set by record-histories.test.ts); this
 * counts each mark in each history of the current shape, every payload decoded.
 */

type Event = Record<string, unknown> & { eventType: string };

/** A recorded history's events, every payload's data decoded (JSON where it is JSON). */
function decodedEvents(file: string): Event[] {
  const raw = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as unknown;
  return (JSON.parse(decodedHistoryText(raw)) as { events: Event[] }).events;
}

const isPushDelivery = (e: Event) =>
  e.eventType === 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED' &&
  (e.startChildWorkflowExecutionInitiatedEventAttributes as { workflowType: { name: string } }).workflowType.name ===
    'deliverPushNotification';

type MemoFields = {
  waiting?: { data?: { prompt?: string } };
  read?: { data?: { snapshot?: { pendingInput?: { prompt?: string } | null } } };
  events?: { data?: { type: string; request?: { prompt?: string } }[] };
};

/** The requests the read model published (input_requested events), whose prompts it quotes. */
const publishedRequests = (fields: MemoFields | undefined) =>
  (fields?.events?.data ?? []).flatMap((e) => (e.type === 'input_requested' && e.request ? [e.request] : []));

const memoFields = (e: Event): MemoFields | undefined =>
  (e.workflowPropertiesModifiedEventAttributes as { upsertedMemo?: { fields?: MemoFields } } | undefined)?.upsertedMemo?.fields;

/**
 * The prompts a memo keeps: the status memo's `waiting.prompt` (the start of what a run asks a
 * person, for listings), and the read model's, in its head and its published `input_requested`
 * events (core/run-head.ts: quotes of at most PROMPT_CHARS).
 */
function memoPrompts(e: Event): string[] {
  const fields = memoFields(e);
  return [
    fields?.waiting?.data?.prompt,
    fields?.read?.data?.snapshot?.pendingInput?.prompt,
    ...publishedRequests(fields).map((r) => r.prompt),
  ].filter((p): p is string => p !== undefined);
}

/** Events with the memo's prompts left out: bounded excerpts, not the message. */
function withoutMemoPrompts(events: Event[]): Event[] {
  return events.map((e) => {
    if (memoPrompts(e).length === 0) return e;
    const attributes = structuredClone(e.workflowPropertiesModifiedEventAttributes) as { upsertedMemo: { fields: MemoFields } };
    const fields = attributes.upsertedMemo.fields;
    delete fields.waiting;
    if (fields.read?.data?.snapshot?.pendingInput) delete fields.read.data.snapshot.pendingInput.prompt;
    for (const request of publishedRequests(fields)) delete request.prompt;
    return { ...e, workflowPropertiesModifiedEventAttributes: attributes };
  });
}

/** A push delivery's view of the pending question: its prompt may quote a message (at most 500 characters). */
function deliveryPrompt(e: Event): string | undefined {
  if (!isPushDelivery(e)) return undefined;
  const input = (e.startChildWorkflowExecutionInitiatedEventAttributes as { input?: { payloads?: { data?: unknown }[] } }).input;
  return (input?.payloads?.[0]?.data as { view?: { pendingInput?: { prompt?: string } | null } } | undefined)?.view?.pendingInput?.prompt;
}

/** Push deliveries with the question's prompt left out: like the memo's, a bounded quote, not the message. */
function withoutDeliveryPrompts(events: Event[]): Event[] {
  return events.map((e) => {
    if (deliveryPrompt(e) === undefined) return e;
    const attributes = structuredClone(e.startChildWorkflowExecutionInitiatedEventAttributes) as {
      input: { payloads: { data: { view: { pendingInput: { prompt?: string } } } }[] };
    };
    delete attributes.input.payloads[0]!.data.view.pendingInput.prompt;
    return { ...e, startChildWorkflowExecutionInitiatedEventAttributes: attributes };
  });
}

function marksIn(events: Event[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mark of JSON.stringify(events).match(REPLY_MARK) ?? []) counts.set(mark, (counts.get(mark) ?? 0) + 1);
  return counts;
}

const histories = loadHistories().filter((h) => h.dir === '');

describe('each model reply is in a recorded history at most once', () => {
  it('checks histories of runs with the store, with marked replies in them', () => {
    expect(histories.length).toBeGreaterThan(20);
    const markers = histories.filter((h) => JSON.stringify(decodedEvents(h.file)).includes(`"id":"${CONVERSATION_STORE_PATCH}"`));
    expect(markers.map((h) => h.file)).toEqual(histories.map((h) => h.file));
    // Marks not found would make the counts below prove nothing.
    const marked = histories.filter((h) => marksIn(decodedEvents(h.file)).size > 0);
    expect(marked.map((h) => h.file)).toEqual(histories.map((h) => h.file));
  });

  it.each(histories.map((h) => [h.workflowId, h.file]))('%s', (_name, file) => {
    const events = decodedEvents(file);
    // The memo keeps the start of a pending question, which may quote a message (an approval
    // quotes the last one): at most 200 characters for listings, PROMPT_CHARS in the read model's head.
    for (const e of events) {
      const fields = memoFields(e);
      expect(fields?.waiting?.data?.prompt?.length ?? 0).toBeLessThanOrEqual(200);
      for (const prompt of memoPrompts(e).slice(1)) expect(prompt.length).toBeLessThanOrEqual(PROMPT_CHARS + 1);
    }
    // An approval's question quotes the last message, cut at 500 characters (core/human-requests.ts).
    for (const prompt of events.map(deliveryPrompt)) if (prompt !== undefined) expect(prompt.length).toBeLessThanOrEqual(700);
    const repeated = [...marksIn(withoutDeliveryPrompts(withoutMemoPrompts(events)))].filter(([, count]) => count > 1);
    expect(repeated).toEqual([]);
  });

  // A fork begins with the original's task and first three replies by reference (its own records
  // in the store): none of their text is in its history, only its own turns' replies.
  it('a fork carries none of the kept messages into its history', () => {
    const marks = [...marksIn(decodedEvents('fork-at-turn-3.json')).keys()].sort();
    expect(marks).toEqual(['«researcher-1»', '«reviewer-1»', '«writer-1»']);
    expect(JSON.stringify(decodedEvents('fork-at-turn-3.json'))).not.toContain('Write a note.');
  });

  // An A2A push notification's body (a status update, or the whole task with its final-answer
  // artifact) names the answer by its record: the delivery activity reads the text from the store.
  it('push deliveries carry no message text', () => {
    const pushed = histories.filter((h) => decodedEvents(h.file).some(isPushDelivery));
    expect(pushed.length).toBeGreaterThan(0);
    for (const h of pushed)
      expect([h.file, marksIn(withoutDeliveryPrompts(decodedEvents(h.file).filter(isPushDelivery))).size]).toEqual([h.file, 0]);
  });
});
