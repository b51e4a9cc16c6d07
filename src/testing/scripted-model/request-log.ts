import type { Route } from './reply-picker';

/** One chat completion request, as the server received and answered it. */
export interface ServedRequest {
  /** Position in the log, from 1; restarts at 1 after `reset()`. */
  seq: number;
  /** When the request arrived, ms since the epoch. */
  at: number;
  /** The agent asked for: the agent header, else the model when it names a script agent, else null. */
  agent: string | null;
  /** The `x-durable-teams-turn` header, or null. */
  turn: number | null;
  /** The `x-durable-teams-run` header, or null. */
  runId: string | null;
  model: string | null;
  /** The HTTP status sent; null when the connection was dropped on purpose. */
  status: number | null;
  /** How the reply was found (null when the request never reached the script). */
  route: Route | null;
  /** Agents: the assistant-message count, i.e. the reply asked for. Selector: the turn. */
  replyIndex: number | null;
  /** Selector requests: the attempt within the turn. Null otherwise. */
  attempt: number | null;
  /** Index of the failure rule that fired, or null. */
  failure: number | null;
  /** The request's `messages`, as sent. */
  messages: unknown[];
  /** The request's `tools` (function definitions), or null when it offered none. */
  tools: unknown[] | null;
  /** The request's `response_format` (structured output), or null when it asked for free text. */
  responseFormat?: unknown;
  /** The delay applied before answering. */
  latencyMs: number;
  /** The request asked for a streamed answer (`stream: true`). */
  stream: boolean;
  /** Streamed replies: the delay before each piece of text. Null for anything else. */
  tokenDelayMs: number | null;
  /** The client closed the connection before the answer went out (a cancelled call, say). */
  abandoned: boolean;
  /** Streamed replies: when the first piece of text was written (epoch ms); null before that, and for anything else. */
  firstPieceAt?: number;
}

export interface RequestFilter {
  agent?: string | null;
  status?: number | null;
}

/**
 * The log of chat completion requests. An entry is added when a request arrives, with its
 * answer already decided; the answer itself goes out after the latency.
 */
export class RequestLog {
  private entries: ServedRequest[] = [];

  get all(): readonly ServedRequest[] {
    return this.entries;
  }

  add(entry: Omit<ServedRequest, 'seq' | 'abandoned'>): ServedRequest {
    const served = { seq: this.entries.length + 1, ...entry, abandoned: false };
    this.entries.push(served);
    return served;
  }

  count(filter: RequestFilter = {}): number {
    return this.entries.filter(
      (r) => (filter.agent === undefined || r.agent === filter.agent) && (filter.status === undefined || r.status === filter.status),
    ).length;
  }

  clear(): void {
    this.entries = [];
  }
}
