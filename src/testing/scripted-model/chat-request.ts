import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { formatZodIssues } from './zod-issues';

/** Headers our activities send so the server can tell who is asking, for which turn and run. */
export const AGENT_HEADER = 'x-durable-teams-agent';
export const TURN_HEADER = 'x-durable-teams-turn';
export const RUN_HEADER = 'x-durable-teams-run';

/** Only the fields the server reads are checked; anything else OpenAI accepts passes through. */
const messageSchema = z.looseObject({
  role: z.string().min(1),
  content: z
    .union([z.string(), z.array(z.unknown())])
    .nullable()
    .optional(),
});

const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1, 'send at least one message'),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullable().optional() }).nullable().optional(),
});

export type ChatMessage = z.output<typeof messageSchema>;
export type ChatRequest = z.output<typeof chatRequestSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseChatRequest(body: string): Parsed<ChatRequest> {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    return { ok: false, message: `the request body is not valid JSON: ${(err as Error).message}` };
  }
  const result = chatRequestSchema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: `invalid request body: ${formatZodIssues(result.error.issues).join('; ')}` };
}

export interface RoutingHeaders {
  agent: string | null;
  turn: number | null;
  runId: string | null;
}

export function readRoutingHeaders(headers: IncomingHttpHeaders): Parsed<RoutingHeaders> {
  const agent = header(headers, AGENT_HEADER);
  const runId = header(headers, RUN_HEADER);
  const turnText = header(headers, TURN_HEADER);
  if (turnText !== null && !/^\d+$/.test(turnText.trim())) {
    return { ok: false, message: `${TURN_HEADER}: expected a non-negative integer, got "${turnText}"` };
  }
  const turn = turnText === null ? null : Number(turnText.trim());
  return { ok: true, value: { agent, turn, runId } };
}

/** One value of a header; an empty header counts as absent. */
export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

/** The text length of a message, counting only the text parts of multi-part content. */
export function contentLength(message: ChatMessage): number {
  const content = message.content;
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  return content.reduce<number>((sum, part) => {
    const text = (part as { text?: unknown } | null)?.text;
    return sum + (typeof text === 'string' ? text.length : 0);
  }, 0);
}
