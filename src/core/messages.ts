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

/** `text`: an ordinary message; `stop`: its author asks the team to stop (see stop_message). */
export type MessageKind = 'text' | 'stop';

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
  /** Workflow time in epoch milliseconds. */
  at: number;
}
