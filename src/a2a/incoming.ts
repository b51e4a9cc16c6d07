import { Role, type Message, type SendMessageConfiguration } from '@a2a-js/sdk';
import { RequestMalformedError, RestContentTypeNotSupportedError } from '@a2a-js/sdk/errors';
import { z } from 'zod';
import type { AnswerInput } from '../client/answers';
import type { HumanAction } from '../core/human';
import { baseMediaType, type Attachment, type FileAttachment } from '../core/attachments';
import type { TargetPolicy } from '../http/outbound-target';
import { DEFAULT_FILE_POLICY, takesMediaType, type FilePolicy } from './file-policy';
import { fileNameProblem, mediaTypeProblem } from './media-type';
import { checkTargetField } from './target-field';
import { contextIdProblem } from '../temporal/run-ids';

/** -32005 over JSON-RPC; 415 over HTTP+JSON, as the spec maps it (the SDK's default is 400). */
const unsupported = (message: string) => new RestContentTypeNotSupportedError({ message, statusCode: 415 });

/** What a client's message says, once checked: its text, its files and data, and where it goes. */
export interface IncomingMessage {
  messageId: string;
  taskId: string | null;
  contextId: string | null;
  text: string;
  /** The data parts, in order (an answer's decision is one of them). */
  data: unknown[];
  /** Files and data, in the order they came, as the conversation keeps them. */
  attachments: Attachment[];
  /** Each file URL and the field it came in, for checkFileUrls. */
  fileUrls: { field: string; url: string }[];
  /** Tasks the client refers to (`referenceTaskIds`), each at most once, in the order given. */
  references: string[];
}

/** Referenced tasks taken with one message: each is read in full before the run starts. */
export const MAX_REFERENCES = 20;

/** Media types a text part may declare; anything else is refused with -32005. */
const TEXT_TYPES = new Set(['', 'text/plain', 'text/markdown']);

/**
 * Checks a client's message: a user message with an id and at least one part; text, data and
 * files of types the policy takes, within the size limits; media types and file names that can
 * be served back in a header (gRPC's requests are checked nowhere before this). Each refusal
 * says what was wrong and where. File URLs are checked here for their form; where they point is
 * checked by the caller (it needs a DNS lookup; see checkFileUrls).
 */
export function readIncoming(message: Message | undefined, maxChars: number, files: FilePolicy = DEFAULT_FILE_POLICY): IncomingMessage {
  if (!message) throw new RequestMalformedError('params.message is missing');
  if (!message.messageId) throw new RequestMalformedError('message.messageId is missing; every message needs a unique id');
  if (message.role !== Role.ROLE_USER) throw new RequestMalformedError('message.role must be ROLE_USER (a client speaks as the user)');
  if (message.parts.length === 0) throw new RequestMalformedError('message.parts is empty; send at least one text, data or file part');
  // A new task's context id becomes a search attribute, a store key and part of what the CLI prints.
  const contextProblem = !message.taskId && message.contextId ? contextIdProblem(message.contextId, 'message.contextId') : null;
  if (contextProblem) throw new RequestMalformedError(contextProblem);
  const texts: string[] = [];
  const data: unknown[] = [];
  const attachments: Attachment[] = [];
  const fileUrls: IncomingMessage['fileUrls'] = [];
  message.parts.forEach((part, i) => {
    const at = `message.parts[${i}]`;
    const content = part.content;
    if (!content) throw new RequestMalformedError(`${at} has no content (text, data, url or raw)`);
    const badType = part.mediaType ? mediaTypeProblem(part.mediaType) : null;
    if (badType) throw new RequestMalformedError(`${at}.mediaType: ${badType}`);
    if (content.$case === 'text') {
      if (!TEXT_TYPES.has(baseMediaType(part.mediaType)))
        throw unsupported(`${at} is text of media type "${part.mediaType}"; text parts are text/plain or text/markdown`);
      texts.push(content.value);
    } else if (content.$case === 'data') {
      data.push(content.value);
      attachments.push({ kind: 'data', data: content.value });
    } else {
      const file = fileOf(part, content, at, files);
      if (file.url !== undefined) fileUrls.push({ field: `${at}.url`, url: file.url });
      attachments.push(file);
    }
  });
  const dataChars = data.reduce<number>((n, d) => n + JSON.stringify(d ?? null).length, 0);
  const chars = texts.reduce((n, t) => n + t.length, 0) + dataChars;
  if (chars > maxChars) {
    throw new RequestMalformedError(
      `the message has ${chars} characters of text and data; the limit is ${maxChars} (raise it with --max-message-chars)`,
    );
  }
  const references = [...new Set(message.referenceTaskIds)];
  references.forEach((id, i) => {
    if (!id.trim()) throw new RequestMalformedError(`message.referenceTaskIds[${i}] is empty; give a task id`);
  });
  if (references.length > MAX_REFERENCES) {
    throw new RequestMalformedError(`message.referenceTaskIds has ${references.length} tasks; the limit is ${MAX_REFERENCES}`);
  }
  const text = texts.join('\n\n');
  if (!text.trim() && attachments.length === 0) throw new RequestMalformedError('the message has no text; say what the team should do');
  return {
    messageId: message.messageId,
    taskId: message.taskId || null,
    contextId: message.contextId || null,
    text,
    data,
    attachments,
    fileUrls,
    references,
  };
}

/** A file part, checked against the policy: its type, its size, and a URL's form. */
function fileOf(
  part: Message['parts'][number],
  content: { $case: 'raw'; value: Buffer } | { $case: 'url'; value: string },
  at: string,
  policy: FilePolicy,
): FileAttachment {
  const mediaType = baseMediaType(part.mediaType);
  if (!mediaType) throw new RequestMalformedError(`${at}.mediaType is missing; a file part says what it holds (e.g. image/png)`);
  if (!takesMediaType(policy, mediaType))
    throw unsupported(`${at} is a file of type ${mediaType}; this agent takes ${policy.mediaTypes.join(', ')} (--file-types)`);
  const badName = part.filename ? fileNameProblem(part.filename) : null;
  if (badName) throw new RequestMalformedError(`${at}.filename: ${badName}`);
  const name = part.filename ? { name: part.filename } : {};
  if (content.$case === 'raw') {
    const size = content.value.length;
    if (size > policy.maxFileBytes)
      throw new RequestMalformedError(`${at}.raw has ${size} bytes; the limit is ${policy.maxFileBytes} (--max-file-bytes)`);
    return { kind: 'file', mediaType, ...name, bytes: Buffer.from(content.value).toString('base64') };
  }
  let url: URL;
  try {
    url = new URL(content.value);
  } catch {
    throw new RequestMalformedError(`${at}.url is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RequestMalformedError(`${at}.url has the scheme ${url.protocol.replace(/:$/, '')}; file URLs are http or https`);
  return { kind: 'file', mediaType, ...name, url: content.value };
}

/**
 * A file URL is refused when it points inward (loopback, private, link-local and so on, or a
 * name resolving there), as push URLs are: whatever later fetches it — a model endpoint in the
 * same network, a remote agent — must not be aimed at the inside by a caller.
 */
export async function checkFileUrls(message: IncomingMessage, policy: TargetPolicy, detailed: boolean): Promise<void> {
  for (const { field, url } of message.fileUrls) await checkTargetField(url, field, policy, { detailed });
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
  action: z.enum(['input', 'approve', 'reject', 'request_changes', 'raise', 'stop']),
  text: z.string().optional(),
  requestId: z.string().min(1).optional(),
  /** A budget request's raise: the new limits. */
  maxTotalTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().optional(),
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
        `the decision data part is malformed at "${issue.path.join('.') || '(root)'}": ${issue.message}; expected { action: approve | reject | request_changes | input | raise | stop, text?, requestId?, maxTotalTokens?, maxCostUsd? }`,
      );
    }
    const text = parsed.data.text ?? (message.text || undefined);
    const { maxTotalTokens, maxCostUsd } = parsed.data;
    const raise = maxTotalTokens !== undefined || maxCostUsd !== undefined ? { raise: { maxTotalTokens, maxCostUsd } } : {};
    if (parsed.data.action === 'raise' && !raise.raise)
      throw new RequestMalformedError('the decision data part raises nothing: give "maxTotalTokens" and/or "maxCostUsd", the new limits');
    return {
      action: parsed.data.action,
      ...(text ? { text } : {}),
      ...(parsed.data.requestId ? { requestId: parsed.data.requestId } : {}),
      ...(raise.raise ? { raise: dropUndefined(raise.raise) } : {}),
      by,
    };
  }
  const text = message.text;
  if (waitingKind === 'budget') return budgetAnswerOf(text, by);
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

/** A budget request answered in words: "stop", or a new token limit ("raise 5000", "5000", "$0.50" for dollars). */
function budgetAnswerOf(text: string, by: string): AnswerInput {
  const said = text.trim().toLowerCase();
  if (said === 'stop') return { action: 'stop', by };
  const amount = /^(?:raise\s+(?:to\s+)?)?(\$)?([0-9]+(?:\.[0-9]+)?)$/.exec(said);
  if (!amount) {
    throw new RequestMalformedError(
      'the task waits for a budget decision: send a data part {"action": "raise", "maxTotalTokens": N} or {"action": "stop"} (or the text "stop", or a new token limit)',
    );
  }
  const value = Number(amount[2]);
  return { action: 'raise', raise: amount[1] ? { maxCostUsd: value } : { maxTotalTokens: Math.round(value) }, by };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
