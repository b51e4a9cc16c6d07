import type { ModelReply } from '../core/activity-contract';
import type { Attachment } from '../core/attachments';
import { fileOutputType, type AgentOutputSpec } from '../spec/agent-output';
import { outputMismatch } from '../spec/output-schemas';
import { ModelCallError } from './errors';

/** A reply with what its agent's output makes of it: a data part, or a file. */
export type ShapedReply = ModelReply & { attachments?: Attachment[] };

/** The response format a structured output asks the model for. */
export function jsonSchemaOf(output: AgentOutputSpec | undefined, agent: string) {
  if (output?.type !== 'json') return undefined;
  return { name: output.name ?? `${agent.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50)}_output`, schema: output.schema };
}

/**
 * The reply as its agent's output says: JSON checked against the schema (a data part), or the
 * text as a named file. A reply that calls tools is not an answer yet and is left as it is.
 * A reply that is not the JSON asked for fails the attempt, retryably: models get it right
 * on another try far more often than not, and Temporal's retry policy bounds the tries.
 */
export function shapeReply(reply: ModelReply, output: AgentOutputSpec | undefined, who: string): ShapedReply {
  if (!output || reply.toolCalls?.length) return reply;
  if (output.type === 'file') {
    const file: Attachment = {
      ...(output.deliver === 'url' ? { byLink: true as const } : {}),
      kind: 'file',
      name: output.name,
      mediaType: fileOutputType(output),
      bytes: Buffer.from(reply.content, 'utf8').toString('base64'),
    };
    return { ...reply, attachments: [file] };
  }
  const invalid = (why: string) =>
    new ModelCallError({ type: 'ModelInvocationError.InvalidOutput', retryable: true, message: `${who}: the reply ${why}` });
  let data: unknown;
  try {
    data = JSON.parse(withoutFence(reply.content));
  } catch {
    throw invalid('is not JSON, and the agent’s output is JSON (output.type: json)');
  }
  const mismatch = outputMismatch(output.schema, data);
  if (mismatch) throw invalid(`does not match the output schema at ${mismatch}`);
  return { ...reply, content: JSON.stringify(data), attachments: [{ kind: 'data', data }] };
}

/** Models asked for JSON still wrap it in a Markdown fence now and then. */
function withoutFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(text);
  return fenced ? fenced[1]! : text;
}
