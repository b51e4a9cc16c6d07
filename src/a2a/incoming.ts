import { Role, type Message, type SendMessageConfiguration } from '@a2a-js/sdk';
import { RequestMalformedError, RestContentTypeNotSupportedError } from '@a2a-js/sdk/errors';
import { z } from 'zod';
import type { AnswerInput } from '../temporal/answers';
import type { HumanAction } from '../core/human';

/** -32005 over JSON-RPC; 415 over HTTP+JSON, as the spec maps it (the SDK's default is 400). */
const unsupported = (message: string) => new RestContentTypeNotSupportedError({ message, statusCode: 415 });

/** What a client's message says, once checked: its text, its data parts, and where it goes. */
export interface IncomingMessage {
  messageId: string;
  taskId: string | null;
  contextId: string | null;
  text: string;
  data: unknown[];
}

/** Media types a team reads; a part of any other type is refused with -32005. */
const READABLE = new Set(['', 'text/plain', 'text/markdown', 'application/json']);

/**
 * Checks a client's message: a user message with an id and at least one text or data part, of
 * types we read, within the size limit. Each refusal says what was wrong and where.
 */
export function readIncoming(message: Message | undefined, maxChars: number): IncomingMessage {
  if (!message) throw new RequestMalformedError('params.message is missing');
  if (!message.messageId) throw new RequestMalformedError('message.messageId is missing; every message needs a unique id');
  if (message.role !== Role.ROLE_USER) throw new RequestMalformedError('message.role must be ROLE_USER (a client speaks as the user)');
  if (message.parts.length === 0) throw new RequestMalformedError('message.parts is empty; send at least one text or data part');
  const texts: string[] = [];
  const data: unknown[] = [];
  message.parts.forEach((part, i) => {
    const type = part.mediaType.split(';', 1)[0]!.trim().toLowerCase();
    const content = part.content;
    if (!content) throw new RequestMalformedError(`message.parts[${i}] has no content (text, data, url or raw)`);
    if (content.$case === 'url' || content.$case === 'raw') {
      throw unsupported(
        `message.parts[${i}] is a file (${part.mediaType || 'no media type'}); this agent reads text and JSON data parts only`,
      );
    }
    if (!READABLE.has(type))
      throw unsupported(
        `message.parts[${i}] has media type "${part.mediaType}"; this agent reads text/plain, text/markdown and application/json`,
      );
    if (content.$case === 'text') texts.push(content.value);
    else data.push(content.value);
  });
  const text = [...texts, ...data.map((d) => JSON.stringify(d, null, 2))].join('\n\n');
  if (text.length > maxChars) {
    throw new RequestMalformedError(
      `the message has ${text.length} characters; the limit is ${maxChars} (raise it with --max-message-chars)`,
    );
  }
  if (!text.trim()) throw new RequestMalformedError('the message has no text; say what the team should do');
  return {
    messageId: message.messageId,
    taskId: message.taskId || null,
    contextId: message.contextId || null,
    text: texts.join('\n\n'),
    data,
  };
}

/** A client that accepts none of our output types cannot be answered: -32005 before any work starts. */
export function checkOutputModes(configuration: SendMessageConfiguration | undefined): void {
  const accepted = configuration?.acceptedOutputModes ?? [];
  if (accepted.length === 0) return;
  const ok = accepted.some((mode) => {
    const type = mode.split(';', 1)[0]!.trim().toLowerCase();
    return type === 'text/plain' || type === 'text/*' || type === '*/*' || type === 'text/markdown';
  });
  if (!ok) throw unsupported(`the team answers in text/plain; acceptedOutputModes [${accepted.join(', ')}] excludes it`);
}

const DecisionSchema = z.strictObject({
  action: z.enum(['input', 'approve', 'reject', 'request_changes']),
  text: z.string().optional(),
  requestId: z.string().min(1).optional(),
});

const APPROVE = /^\s*(approve|approved|yes|lgtm)\b[\s:.,!-]*/i;
const REJECT = /^\s*(reject|rejected)\b[\s:.,!-]*/i;

/**
 * The answer a message gives to the request the task waits on. A data part
 * `{ "action": "approve" | "reject" | "request_changes" | "input", "text"?, "requestId"? }`
 * says it exactly. Otherwise the text speaks: to an approval, "approve[: comment]" approves,
 * "reject[: reason]" rejects and anything else asks for changes; to a question, the text is the input.
 */
export function answerOf(message: IncomingMessage, waitingKind: string, by: string): AnswerInput {
  const decision = message.data.find((d) => typeof d === 'object' && d !== null && 'action' in d);
  if (decision !== undefined) {
    const parsed = DecisionSchema.safeParse(decision);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RequestMalformedError(
        `the decision data part is malformed at "${issue.path.join('.') || '(root)'}": ${issue.message}; expected { action: approve | reject | request_changes | input, text?, requestId? }`,
      );
    }
    const text = parsed.data.text ?? (message.text || undefined);
    return {
      action: parsed.data.action,
      ...(text ? { text } : {}),
      ...(parsed.data.requestId ? { requestId: parsed.data.requestId } : {}),
      by,
    };
  }
  const text = message.text;
  if (waitingKind !== 'approval') return { action: 'input', text, by };
  for (const [pattern, action] of [
    [APPROVE, 'approve'],
    [REJECT, 'reject'],
  ] as [RegExp, HumanAction][]) {
    const match = pattern.exec(text);
    if (match) {
      const rest = text.slice(match[0].length).trim();
      return { action, ...(rest ? { text: rest } : {}), by };
    }
  }
  return { action: 'request_changes', text, by };
}
