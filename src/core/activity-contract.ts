import type { Attachment } from './attachments';
import type { TeamSpec } from '../spec/team';
import type { ToolCall, ToolResult, TokenUsage } from './messages';
import type { ConversationRef } from './stored-messages';
import type { Spend } from './budget';
import type { RoutedToolCall, SendMode } from '../contract/shared-parts';

// The activities' inputs are defined once, as the Zod schemas their workers parse them with
// (src/contract); core and the workflows take their types only, which leaves no zod in either.
export type {
  AgentToolRef,
  AgentTurnRequest,
  CustomSelectionRequest,
  PromptMessage,
  SelectorPromptParts,
  SelectSpeakerRequest,
} from '../contract/model-requests';
export type { RemoteTurnRequest, ToolCallRequest } from '../contract/call-requests';
export type { RemoteAnswer, RoutedToolCall, SendMode, ToolRoute } from '../contract/shared-parts';

/**
 * What the workflow hands its activities and gets back. Plain JSON with a version field: these
 * are recorded in the run's history and read again by later workers, so they change compatibly.
 * The answers (read by the workflow, never parsed by a worker) are written out here.
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

/** What a tool call gave back. */
export interface ToolOutcome {
  v: 1;
  content: string;
  isError: boolean;
  /** Where the activity stored the output, for the tool_result message's record. */
  ref?: string;
  /** Files and data besides the text (an MCP tool's image, say): stored with it, and taken off before the run sees the outcome. */
  attachments?: Attachment[];
  /** A remote tool's task stopped to ask: the run asks a person and calls again with the answer. */
  waiting?: Omit<RemoteWaiting, 'v' | 'waiting' | 'model'>;
}

/** The function's choice (null: let the model choose) and the filter's candidates (null: no filter). */
export interface CustomSelection {
  v: 1;
  speaker: string | null;
  candidates: string[] | null;
}

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
