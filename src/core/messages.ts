import type { Attachment } from './attachments';

/** Tokens a model call used, as the endpoint reported them. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage | undefined): TokenUsage {
  if (!b) return a;
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens };
}

/**
 * `text`: an ordinary message; `stop`: its author asks the team to stop (see stop_message).
 * `tool_call` / `tool_result`: an agent's tool use within its turn. They are in the transcript and
 * the event stream, and in the calling agent's own view, but the rest of the team sees only the
 * agent's answer (as in AutoGen, where they are the agent's inner events).
 */
export type MessageKind = 'text' | 'stop' | 'tool_call' | 'tool_result';

/** A call the model asked for. `arguments` is the model's JSON text, unparsed. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What a call gave back, as the model will read it. */
export interface ToolResult {
  callId: string;
  name: string;
  content: string;
  /** The call failed, was refused, or had invalid arguments: the model is told so. */
  isError: boolean;
  /** Where the tool's output is kept in the conversation store (absent for results the run wrote itself). */
  ref?: string;
  /** Files and data the tool gave besides its text: read from the store with it, never in a record. */
  attachments?: Attachment[];
}

/** Is this a message of the conversation proper, which every agent sees? */
export function isConversational(message: Pick<ChatMessage, 'kind'>): boolean {
  return message.kind === 'text' || message.kind === 'stop';
}

/** The author of the task message that opens every run. */
export const TASK_SOURCE = 'user';

/** One message of a team's conversation. Plain JSON: it lives in workflow state and history. */
export interface ChatMessage {
  /** Position in the whole conversation, the task being 0. */
  index: number;
  /** The agent's name, or "user" for the task. */
  source: string;
  content: string;
  kind: MessageKind;
  /** The agent turn that produced it (0 is the first); null for the task. */
  turn: number | null;
  usage?: TokenUsage;
  model?: string;
  /** kind `tool_call`: the calls the model asked for (`content` is whatever text came with them). */
  toolCalls?: ToolCall[];
  /** kind `tool_result`: one result per call, in the order of the calls. */
  toolResults?: ToolResult[];
  /** The agent handed the conversation on with this message (a swarm's transfer_to_<target>). */
  handoff?: { target: string };
  /** Files and data that came with the text (see attachments.ts); only ever read from the store. */
  attachments?: Attachment[];
  /** Workflow time in epoch milliseconds. */
  at: number;
  /**
   * The key of what the message says (its text and tool calls) in the conversation store, where
   * the activity or the path that received it wrote it. Absent for text the run wrote itself.
   */
  ref?: string;
  /** The message is the first `cut` characters of the stored text (a stop signal was cut off). */
  cut?: number;
  /**
   * What the message says is not here (content, tool calls and results' output are empty): a
   * carried or stored record, read with its body from the conversation store.
   */
  elided?: true;
}

/** What a message says, as the conversation store keeps it apart from who said it and when. */
export interface MessageBody {
  content: string;
  toolCalls?: ToolCall[];
  attachments?: Attachment[];
}
