import type { Attachment } from './attachments';
import type { AgentOutputSpec } from '../spec/agent-output';
import type { InlineAgentCard, RemoteAgentSpec } from '../spec/agent';
import type { ModelContextSpec } from '../spec/model-context';
import type { ModelSettings } from '../spec/model-settings';
import type { TeamSpec } from '../spec/team';
import type { ToolCall, ToolResult, TokenUsage } from './messages';
import type { ConversationRef } from './stored-messages';
import type { MemoryRequest } from './memory-request';
import type { BudgetCheck, Spend } from './budget';

/**
 * What the workflow hands its activities and gets back. Plain JSON with a version field: these
 * are recorded in the run's history and read again by later workers, so they change compatibly.
 */

/** A message as the model will see it: who said it and what (and, for its own tool use, the calls and results). */
export interface ConversationEntry {
  source: string;
  content: string;
  /** Files and data sent with the message (read from the store, never carried in a request). */
  attachments?: Attachment[];
  /** Set only on the agent's own tool use; absent on ordinary messages. */
  kind?: 'tool_call' | 'tool_result';
  toolCalls?: ToolCall[];
  toolResults?: ToolResult[];
}

/**
 * A tool offered to the model. Function tools are described by the worker's registry (schema and
 * description live there); remote ones by the agent card, which the activity reads.
 */
export type AgentToolRef =
  | { kind: 'function'; name: string }
  | {
      kind: 'a2a';
      /** Position of the spec's tool entry, so the workflow finds its approval and retry policy. */
      entry: number;
      card: string;
      skill: string | null;
      name: string | null;
      description: string | null;
      auth: { bearerEnv?: string; apiKeyEnv?: string; apiKeyHeader?: string } | null;
      allowHosts: string[] | null;
    }
  /** A swarm's transfer_to_<target>: handled by the run itself, no activity. */
  | { kind: 'handoff'; target: string; description: string }
  /** A built-in memory tool (src/memory/memory-tools.ts): the agent has `memory` with `tools`. */
  | { kind: 'memory'; name: 'remember' | 'recall' };

/** Where a call the model made goes, as the activity that offered the tools worked it out. */
export type ToolRoute =
  | { kind: 'function' }
  | { kind: 'a2a'; entry: number; skill: string | null; card: string; cardName: string }
  | { kind: 'handoff'; target: string }
  | { kind: 'memory' }
  /** The model named a tool it was not offered: it is told so, nothing runs. */
  | { kind: 'unknown' };

/** A call the model asked for, with where it goes. */
export interface RoutedToolCall extends ToolCall {
  route: ToolRoute;
}

/** One agent's turn: answer the conversation so far. */
export interface AgentTurnRequest {
  v: 1;
  runId: string;
  turn: number;
  agent: {
    name: string;
    description: string;
    systemMessage: string | null;
    settings: ModelSettings;
    /** The reply as structured data or a file; absent for plain text. */
    output?: AgentOutputSpec;
  };
  /**
   * The conversation in the store, which the activity reads and shows the model through the
   * agent's model context. (Requests of runs begun before the store carry `messages` instead.)
   */
  conversation?: ConversationRef;
  /** The agent's model context: what part of its view the model sees. */
  context?: ModelContextSpec;
  /** The agent's view, already cut by its model context: only in requests of older runs. */
  messages?: ConversationEntry[];
  /** Tools the model may call; absent when it has none or must answer now (reflection). */
  tools?: AgentToolRef[];
  /** False asks the model for one call at a time. */
  parallelToolCalls?: boolean;
  /** The agent's memory: entries from it are added before the call. Absent when it has none. */
  memory?: MemoryRequest;
  /** What is left of the run's budget: the activity counts the prompt before it calls. Absent: no budget. */
  budget?: BudgetCheck;
}

/** A model's answer. */
export interface ModelReply {
  v: 1;
  content: string;
  usage: TokenUsage | null;
  /** The model that answered, as the endpoint named it. */
  model: string;
  /** Calls the model asked for instead of (or along with) an answer. */
  toolCalls?: RoutedToolCall[];
  /** Where the activity stored what the reply says (text and calls), for the message's record. */
  ref?: string;
  /** The agent handed the conversation to this agent (or "user") with its answer. */
  handoff?: string;
  /** Ids of the memory entries the model was shown, so history tells what it saw. */
  memoryUsed?: string[];
  /** A nested team's whole spend against its budget (its selector and own nested teams included). */
  spend?: Pick<Spend, 'totalTokens' | 'costUsd'>;
}

/** One tool call, run as an activity of its own. */
export interface ToolCallRequest {
  v: 1;
  runId: string;
  turn: number;
  agent: string;
  call: RoutedToolCall;
  /** For a remote A2A tool: where the call goes and how it authenticates (from the team file). */
  remote?: { card: string; skill: string | null; auth: RemoteAgentSpec['auth'] | null; allowHosts: string[] | null };
  /**
   * `<run>/turn-<n>/<agent>/<round>/<call id>`: the same on every retry and after a worker restart
   * (the call id is on record in history), so a tool with side effects can deduplicate.
   */
  idempotencyKey: string;
  /** A remote tool whose task asked a question: the person's answer, for that same task. */
  answer?: RemoteAnswer;
  /** For a built-in memory tool: whose memory it reads or writes. */
  memory?: MemoryRequest;
}

/** What a tool call gave back. */
export interface ToolOutcome {
  v: 1;
  content: string;
  isError: boolean;
  /** Where the activity stored the output, for the tool_result message's record. */
  ref?: string;
  /** A remote tool's task stopped to ask: the run asks a person and calls again with the answer. */
  waiting?: Omit<RemoteWaiting, 'v' | 'waiting' | 'model'>;
}

/** A person's answer to a remote task's question (input-required or auth-required). */
export interface RemoteAnswer {
  taskId: string;
  text: string;
  /** Stable per question, so a retried send is one message to the remote. */
  messageId: string;
  /** The question it answers, to tell it from the next one the remote may ask. */
  questionId: string;
}

export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The selector's prompt with everything but the conversation filled in; the activity adds the history. */
export interface SelectorPromptParts {
  template: string;
  roles: string;
  participants: string;
}

/** One attempt at choosing the next speaker: a model call with a prompt core built. */
export interface SelectSpeakerRequest {
  v: 1;
  runId: string;
  turn: number;
  attempt: number;
  settings: ModelSettings;
  /**
   * With `prompt` and `conversation`: what follows the prompt (earlier answers and what was
   * wrong with them). Without (older runs): the whole prompt.
   */
  messages: PromptMessage[];
  prompt?: SelectorPromptParts;
  conversation?: ConversationRef;
  /** What is left of the run's budget (see AgentTurnRequest.budget). */
  budget?: BudgetCheck;
}

/** Asks the worker's selector function and candidate filter (named in the spec) about the next speaker. */
export interface CustomSelectionRequest {
  v: 1;
  runId: string;
  turn: number;
  function: string | null;
  candidateFilter: string | null;
  agents: { name: string; description: string }[];
  lastSpeaker: string | null;
  /** The conversation in the store; the functions see what every agent sees (no tool calls). */
  conversation?: ConversationRef;
  /** The conversation itself: only in requests of older runs. */
  messages?: ConversationEntry[];
}

/** The function's choice (null: let the model choose) and the filter's candidates (null: no filter). */
export interface CustomSelection {
  v: 1;
  speaker: string | null;
  candidates: string[] | null;
}

/** What a remote agent or a nested team is sent: the whole shared conversation, or its last message. */
export type SendMode = 'conversation' | 'last';

/** A nested team's turn: the inner team runs (a child workflow) on the conversation as its task. */
export interface NestedTurnRequest {
  v: 1;
  runId: string;
  turn: number;
  agent: string;
  team: TeamSpec;
  /** The outer conversation, whose text (all of it, or its last message) is the inner run's task. */
  conversation: ConversationRef;
  send: SendMode;
  /** `<run>/turn-<n>/<agent>`: one inner run per turn, whatever retries or replays happen. */
  childRunId: string;
}

/** A remote A2A agent's turn: send the conversation (or its last message) and take the reply. */
export interface RemoteTurnRequest {
  v: 1;
  runId: string;
  turn: number;
  /** Stable across retries and workers, so the remote agent can tell a repeat. */
  messageId: string;
  /** One remote conversation per run and agent. */
  contextId: string;
  agent: {
    name: string;
    /** The card's URL; for a card written inline, the first URL it says to call (for messages). */
    card: string;
    /** The card itself, when the team file has it inline: nothing is fetched. */
    inlineCard?: InlineAgentCard;
    skill: string | null;
    auth: RemoteAgentSpec['auth'] | null;
    allowHosts: string[] | null;
    pollIntervalMs: number;
  };
  /** The conversation in the store, of which `send` says what goes to the remote agent. */
  conversation?: ConversationRef;
  send?: SendMode;
  /** What to send, as it is: a remote tool's message, or the request of an older run. */
  messages?: ConversationEntry[];
  /** Set when the remote task asked a question: the person's answer goes to that task. */
  answer?: RemoteAnswer;
}

/** A remote task that stopped to ask (input-required or auth-required): the run asks a person. */
export interface RemoteWaiting {
  v: 1;
  waiting: true;
  taskId: string;
  /** The remote status message's id, to tell this question from the next one. */
  questionId: string;
  prompt: string;
  state: 'input-required' | 'auth-required';
  model: string;
}

export function isRemoteWaiting(reply: unknown): reply is RemoteWaiting {
  return typeof reply === 'object' && reply !== null && (reply as RemoteWaiting).waiting === true;
}

export const DEFAULT_REMOTE_POLL_MS = 500;

/** The run an activity works for: every team activity's request names it (`runId`); null for anything else. */
export function runIdOfRequest(request: unknown): string | null {
  const runId = typeof request === 'object' && request !== null ? (request as { runId?: unknown }).runId : undefined;
  return typeof runId === 'string' ? runId : null;
}
