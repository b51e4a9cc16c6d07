import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ToolOutcome } from '../core/activity-contract';
import type { ConversationStore } from '../store/conversation-store';
import { elicitationPrompt, readElicitationAnswer } from './elicitation';
import type { LiveMcpCall, McpCallEvent, McpQuestion } from './live-mcp-call';

/**
 * A call whose server asks a person a question mid-call (`elicitation/create`) stays open on the
 * worker that sent it, "parked", while its activity ends and the run asks the question. The
 * answer comes back as a new activity (on any worker): it leaves the answer in the conversation
 * store, under the parked call's key, and waits there for what the call does next. The worker
 * holding the call takes the answer, gives it to the server and leaves the outcome (the call's
 * result, or its next question) beside it. Numbered keys, each written once (`putFirst`), make
 * retries of either side harmless:
 *
 *   <key>/answer-<n>   the person's answer to question n      (the answering activity)
 *   <key>/taken-<n>    the holding worker has it              (the holding worker)
 *   <key>/outcome-<n>  what the call did after it             (the holding worker)
 *
 * A worker that is gone (restarted, or its connection to the server closed) takes nothing: the
 * answer finds no `taken` in time, and the call's outcome is unknown (see mcp-call.ts).
 */
export interface ParkTimes {
  /** How often each side looks at the store. */
  pollMs: number;
  /** How long the holding worker waits for each answer before telling the server the question was cancelled. */
  answerWaitMs: number;
  /** How long an answer waits to be taken: a worker that takes none in this time is gone. */
  takeWaitMs: number;
}

export const PARK_TIMES: ParkTimes = { pollMs: 250, answerWaitMs: 10 * 60_000, takeWaitMs: 15_000 };

const PARKED = '/mcp-asked/';

/** A new key for one send of a call: a call sent again after its holder was lost is parked afresh. */
export const parkKeyFor = (runId: string, idempotencyKey: string) => `${runId}${PARKED}${idempotencyKey}/${randomUUID().slice(0, 8)}`;

/** Whether a question's task id names a parked call (and not, say, a call whose outcome is unknown). */
export const isParkKey = (taskId: string) => taskId.includes(PARKED);

/** What the holding worker leaves for an answer: the call's outcome, or that the call was lost on the way. */
export type ParkedOutcome = { outcome: ToolOutcome } | { lost: string };

export interface Parking {
  runId: string;
  key: string;
  store: ConversationStore;
  /** The call's end as an outcome; `lost` where it broke off, so nobody knows what it did. */
  settle(event: Exclude<McpCallEvent, { kind: 'asked' }>): Promise<ParkedOutcome>;
  times?: ParkTimes;
}

/** Question n of a parked call, as the run asks it. */
export function parkedQuestion(key: string, n: number, question: McpQuestion, problem?: string): ToolOutcome {
  const prompt = elicitationPrompt(question.form);
  return {
    v: 1,
    content: '',
    isError: false,
    waiting: { taskId: key, questionId: `asked-${n}`, prompt: problem ? `${problem}.\n${prompt}` : prompt, state: 'input-required' },
  };
}

/**
 * Holds a call whose server asked `question` (number 1) until it ends: each answer left in the
 * store goes to the server, and what the call does next goes back beside it. Runs on after the
 * activity that sent the call has ended; returns when the call has.
 */
export async function holdParkedCall(call: LiveMcpCall, question: McpQuestion, parking: Parking): Promise<void> {
  const { runId, key, store, times = PARK_TIMES } = parking;
  const leave = (n: number, outcome: ParkedOutcome) => store.putFirst(runId, `${key}/outcome-${n}`, outcome);
  for (let n = 1; ; n += 1) {
    // Waiting ends with an answer, at the deadline, or when the server gives up on its question and ends the call.
    const deadline = Date.now() + times.answerWaitMs;
    const answer = await waitFor<{ text: string }>(store, `${key}/answer-${n}`, times.pollMs, () => call.ended || Date.now() > deadline);
    await store.putFirst(runId, `${key}/taken-${n}`, { late: !answer });
    if (!answer) {
      // Nobody answered in time: the server hears so, and what the call does next is left for the answer, whenever it comes.
      question.reply({ action: 'cancel' });
      await leave(n, await finish(call, parking));
      return;
    }
    const read = readElicitationAnswer(answer.text, question.form);
    if ('error' in read) {
      await leave(n, { outcome: parkedQuestion(key, n + 1, question, read.error) });
      continue;
    }
    question.reply(read.result);
    const next = await call.next();
    if (next.kind === 'asked') {
      question = next.question;
      await leave(n, { outcome: parkedQuestion(key, n + 1, question) });
      continue;
    }
    await leave(n, await parking.settle(next));
    return;
  }
}

/** The call's end, every further question cancelled: nobody is waiting to ask them. */
async function finish(call: LiveMcpCall, parking: Parking): Promise<ParkedOutcome> {
  for (;;) {
    const next = await call.next();
    if (next.kind !== 'asked') return parking.settle(next);
    next.question.reply({ action: 'cancel' });
  }
}

/**
 * The person's answer to question n of a parked call: left for the worker holding it, whose
 * outcome is returned once there; `lost` when no worker takes the answer in time. `signal`: the
 * answering activity's cancellation.
 */
export async function answerParkedCall(
  { runId, key, store }: { runId: string; key: string; store: ConversationStore },
  n: number,
  text: string,
  { signal, times = PARK_TIMES }: { signal?: AbortSignal; times?: ParkTimes } = {},
): Promise<ParkedOutcome> {
  await store.putFirst(runId, `${key}/answer-${n}`, { text });
  const takeBy = Date.now() + times.takeWaitMs;
  for (;;) {
    signal?.throwIfAborted();
    const found = await store.firstValues<unknown>([`${key}/taken-${n}`, `${key}/outcome-${n}`]);
    const outcome = found.get(`${key}/outcome-${n}`) as ParkedOutcome | undefined;
    if (outcome) return outcome;
    if (!found.has(`${key}/taken-${n}`) && Date.now() > takeBy)
      return { lost: `no worker holds the call any more (the one that sent it restarted, or lost its connection to the server)` };
    await sleep(times.pollMs);
  }
}

async function waitFor<T>(store: ConversationStore, key: string, pollMs: number, stop: () => boolean): Promise<T | null> {
  for (;;) {
    const value = (await store.firstValues<T>([key])).get(key);
    if (value !== undefined) return value;
    if (stop()) return null;
    await sleep(pollMs);
  }
}
