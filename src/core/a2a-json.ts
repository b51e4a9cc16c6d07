import type { ForkOrigin } from './fork';
import type { Attachment } from './attachments';
import type { HumanAction, InputKind, PendingInput } from './human';
import { spendOf, type Spend } from './budget';
import type { ChatMessage } from './messages';
import { finalAnswerOf } from './final-answer';
import { newestMessages } from './paging';
import type { RunState } from './state';
import { a2aTaskState, isTerminal, type A2ATaskState, type RunStatus } from './status';

/**
 * A run as A2A v1.0 sees it, in the protocol's JSON form (proto3 JSON: camelCase fields, enum
 * names). Pure data, so the workflow can build push-notification bodies with it and the front
 * end can hand it to the SDK's `Task.fromJSON`. One mapping for both keeps them from drifting.
 */

export interface A2APartJson {
  text?: string;
  data?: unknown;
  /** A file's bytes, base64. */
  raw?: string;
  url?: string;
  filename?: string;
  mediaType?: string;
}

export interface A2AMessageJson {
  messageId: string;
  contextId: string;
  taskId: string;
  role: 'ROLE_USER' | 'ROLE_AGENT';
  parts: A2APartJson[];
  metadata?: Record<string, unknown>;
}

export interface A2AStatusJson {
  state: A2ATaskState;
  message?: A2AMessageJson;
  timestamp: string;
}

export interface A2AArtifactJson {
  artifactId: string;
  name: string;
  description?: string;
  parts: A2APartJson[];
  metadata?: Record<string, unknown>;
}

export interface A2ATaskJson {
  id: string;
  contextId: string;
  status: A2AStatusJson;
  artifacts?: A2AArtifactJson[];
  history?: A2AMessageJson[];
  metadata?: Record<string, unknown>;
}

/** What of a run the mapping needs; a snapshot plus messages, or less when only Temporal's memo is at hand. */
export interface RunView {
  runId: string;
  contextId: string;
  team: string | null;
  status: RunStatus;
  updatedAt: number;
  /** The conversation as far as it is known (empty when only the memo was read). */
  messages: ChatMessage[];
  pendingInput: Pick<PendingInput, 'requestId' | 'kind' | 'prompt'> & Partial<PendingInput>;
  stopReason: string | null;
  error: string | null;
  /** Set on a fork: the run (task) it began from and the turn (see fork.ts). */
  forkedFrom?: ForkOrigin | null;
  /** A budgeted run's spend (see budget.ts); absent when it has none or only the memo was read. */
  spend?: Spend;
}

export type RunViewInput = Omit<RunView, 'pendingInput'> & { pendingInput: RunView['pendingInput'] | null };

/** The id a run's message has in A2A: stable, so a client sees the same message twice as one. */
export const messageIdOf = (runId: string, index: number) => `${runId}-msg-${index}`;

export const FINAL_ANSWER_ARTIFACT = 'final-answer';

/** Who speaks for the client: the task's author and people; everyone else is the agent (the team). */
function roleOf(message: ChatMessage, people: ReadonlySet<string>): A2AMessageJson['role'] {
  return message.source === 'user' || people.has(message.source) ? 'ROLE_USER' : 'ROLE_AGENT';
}

export function messageJson(
  view: Pick<RunView, 'runId' | 'contextId'>,
  message: ChatMessage,
  people: ReadonlySet<string> = new Set(),
): A2AMessageJson {
  return {
    messageId: messageIdOf(view.runId, message.index),
    contextId: view.contextId,
    taskId: view.runId,
    role: roleOf(message, people),
    parts: partsOf(message),
    metadata: { source: message.source, index: message.index, turn: message.turn, kind: message.kind },
  };
}

/** A tool call or result carries its structure as a data part, after its text (if any). */
function partsOf(message: ChatMessage): A2APartJson[] {
  const text: A2APartJson[] = message.content ? [{ text: message.content }] : [];
  if (message.toolCalls) return [...text, { data: { toolCalls: message.toolCalls } }];
  if (message.toolResults) {
    // What a tool gave besides text goes as parts of their own (files as files), after the results' structure.
    const results = message.toolResults.map(({ attachments: _attachments, ...result }) => result);
    const given = message.toolResults.flatMap((r) => r.attachments ?? []).map((a) => attachmentPart(a));
    return [...text, { data: { toolResults: results } }, ...given];
  }
  if (message.attachments?.length) return [...text, ...message.attachments.map((a) => attachmentPart(a))];
  return [{ text: message.content }];
}

/** An attachment as the A2A part it came as. */
export function attachmentPart(attachment: Attachment, link?: string): A2APartJson {
  if (attachment.kind === 'data') return { data: attachment.data, mediaType: 'application/json' };
  const file = link !== undefined ? { url: link } : attachment.bytes !== undefined ? { raw: attachment.bytes } : { url: attachment.url };
  return { ...file, mediaType: attachment.mediaType, ...(attachment.name ? { filename: attachment.name } : {}) };
}

function agentNote(view: RunViewInput, id: string, parts: A2APartJson[]): A2AMessageJson {
  return { messageId: `${view.runId}-${id}`, contextId: view.contextId, taskId: view.runId, role: 'ROLE_AGENT', parts };
}

/** The last message an agent (not a person) wrote: the team's answer. */
export function finalAnswer(view: Pick<RunView, 'messages'>, people: ReadonlySet<string> = new Set()): ChatMessage | null {
  return finalAnswerOf(view.messages, people);
}

/** What each kind of request takes as an answer (the data part's `action`). */
const ACCEPTS: Record<InputKind, HumanAction[]> = {
  input: ['input', 'reject'],
  approval: ['approve', 'reject', 'request_changes'],
  budget: ['raise', 'stop'],
};

/** How an A2A client answers a budget request. */
export const BUDGET_ANSWER_HINT =
  'Answer with a data part {"action": "raise", "maxTotalTokens": <new limit>} (or "maxCostUsd": <new limit in USD>), or {"action": "stop"}.';

/**
 * The status, with the message a client needs to act: the question while the run waits (its
 * request as a data part, for programs), the answer when completed, the reason otherwise.
 */
export function statusJson(view: RunViewInput, people: ReadonlySet<string> = new Set()): A2AStatusJson {
  const status: A2AStatusJson = { state: a2aTaskState(view.status), timestamp: new Date(view.updatedAt).toISOString() };
  const pending = view.pendingInput;
  if (view.status === 'input-required' && pending) {
    const request = {
      requestId: pending.requestId,
      kind: pending.kind,
      accepts: ACCEPTS[pending.kind],
      ...(pending.budget ? { budget: pending.budget } : {}),
      ...(pending.to ? { to: pending.to } : {}),
      ...(pending.deadline ? { deadline: new Date(pending.deadline).toISOString() } : {}),
    };
    status.message = agentNote(view, `request-${pending.requestId}`, [
      { text: pending.kind === 'budget' ? `${pending.prompt}\n${BUDGET_ANSWER_HINT}` : pending.prompt },
      { data: request, mediaType: 'application/json' },
    ]);
  } else if (view.status === 'completed') {
    const answer = finalAnswer(view, people);
    if (answer) status.message = messageJson(view, answer, people);
  } else if (view.status === 'failed' && view.error) {
    status.message = agentNote(view, 'error', [{ text: view.error }]);
  } else if (view.status === 'rejected' && view.stopReason) {
    status.message = agentNote(view, 'rejected', [{ text: view.stopReason }]);
  }
  return status;
}

/**
 * Where a front end serves a file of a message (its index, and the file's place among the
 * message's attachments); files an agent delivers by URL are linked there, not inlined.
 */
export type FileLink = (messageIndex: number, attachment: number) => string;

export function finalArtifactJson(
  view: RunViewInput,
  people: ReadonlySet<string> = new Set(),
  fileLink?: FileLink,
): A2AArtifactJson | null {
  const answer = view.status === 'completed' ? finalAnswer(view, people) : null;
  if (!answer) return null;
  return {
    artifactId: FINAL_ANSWER_ARTIFACT,
    name: 'Final answer',
    description: view.stopReason ? `The team's last answer; it stopped because ${view.stopReason}` : "The team's last answer",
    // An agent whose output is data or a file answers with that part alone; its text says the same.
    parts: answer.attachments?.length
      ? answer.attachments.map((a, n) =>
          attachmentPart(a, fileLink && a.kind === 'file' && a.byLink ? fileLink(answer.index, n) : undefined),
        )
      : [{ text: answer.content }],
    metadata: { source: answer.source, index: answer.index },
  };
}

export interface TaskJsonOptions {
  /** Most recent messages to include; undefined for all, 0 for none. */
  historyLength?: number;
  includeArtifacts?: boolean;
  people?: ReadonlySet<string>;
  /** Where the front end serves files delivered by URL; without it they are inlined. */
  fileLink?: FileLink;
}

export function taskJson(view: RunViewInput, options: TaskJsonOptions = {}): A2ATaskJson {
  const people = options.people ?? new Set<string>();
  const { historyLength } = options;
  const history = newestMessages(view.messages, historyLength);
  const artifact = options.includeArtifacts === false ? null : finalArtifactJson(view, people, options.fileLink);
  return {
    id: view.runId,
    contextId: view.contextId,
    status: statusJson(view, people),
    ...(artifact ? { artifacts: [artifact] } : {}),
    ...(history.length > 0 ? { history: history.map((m) => messageJson(view, m, people)) } : {}),
    metadata: {
      team: view.team,
      runStatus: view.status,
      ...(view.stopReason ? { stopReason: view.stopReason } : {}),
      ...(view.forkedFrom ? { forkedFrom: view.forkedFrom } : {}),
      ...(view.spend ? { durableTeams: { spend: view.spend } } : {}),
    },
  };
}

/** Has the task stopped for now: ended, or waiting on someone? (Blocking sends and streams return there.) */
export function isInterruptedOrTerminal(status: RunStatus): boolean {
  return isTerminal(status) || status === 'input-required' || status === 'auth-required';
}

/** The run's own state as the mapping sees it (inside the workflow, for push notifications). */
export function viewOfState(state: RunState): RunViewInput {
  return {
    runId: state.runId,
    contextId: state.contextId ?? state.runId,
    team: state.team,
    status: state.status,
    updatedAt: state.updatedAt,
    messages: state.messages,
    pendingInput: state.pendingInput,
    stopReason: state.rejection ? `rejected: ${state.rejection.reason}` : (state.stop?.reason ?? null),
    error: state.error?.message ?? null,
    ...(state.budget ? { spend: spendOf(state.budget) } : {}),
  };
}

export interface A2AStatusUpdateJson {
  taskId: string;
  contextId: string;
  status: A2AStatusJson;
  metadata?: Record<string, unknown>;
}

export function statusUpdateJson(view: RunViewInput, people: ReadonlySet<string> = new Set()): A2AStatusUpdateJson {
  return { taskId: view.runId, contextId: view.contextId, status: statusJson(view, people) };
}
