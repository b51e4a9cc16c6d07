import type OpenAI from 'openai';
import type { AgentTurnRequest } from '../core/activity-contract';
import { baseMediaType, describeAttachment, textWithAttachments, type Attachment } from '../core/attachments';
import type { AgentPrompt } from './model-calls';

type ChatMessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function defaultSystemMessage(agent: AgentTurnRequest['agent']): string {
  return `You are ${agent.name}, a member of a team working on a task together. ${agent.description}`;
}

/**
 * The conversation from one agent's point of view: its own messages are the assistant's, everyone
 * else's are user messages carrying the author's name, as OpenAI's multi-party format has it.
 */
export function agentChatMessages(request: AgentPrompt): ChatMessageParam[] {
  const { agent } = request;
  const messages = resultsAfterCalls(request.messages);
  const chat: ChatMessageParam[] = [{ role: 'system', content: agent.systemMessage ?? defaultSystemMessage(agent) }];
  if (request.memoryNote) chat.push({ role: 'system', content: request.memoryNote });
  messages.forEach((m, i) => {
    if (m.kind === 'tool_call') {
      // The API wants every call answered: calls whose results never came (a turn cut short) are left out.
      const results = messages[i + 1]?.kind === 'tool_result' ? (messages[i + 1]!.toolResults ?? []) : [];
      const calls = (m.toolCalls ?? []).filter((c) => results.some((r) => r.callId === c.id));
      if (calls.length === 0) return;
      chat.push({
        role: 'assistant',
        content: m.content || null,
        tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      });
    } else if (m.kind === 'tool_result') {
      const previous = messages[i - 1];
      const called = new Set(previous?.kind === 'tool_call' ? (previous.toolCalls ?? []).map((c) => c.id) : []);
      for (const r of m.toolResults ?? [])
        if (called.has(r.callId)) chat.push({ role: 'tool', tool_call_id: r.callId, content: r.content });
    } else if (m.source === agent.name) {
      chat.push({ role: 'assistant', content: textWithAttachments(m.content, m.attachments) });
    } else if (m.attachments?.length && agent.settings.files !== 'text') {
      chat.push({ role: 'user', content: contentParts(m.content, m.attachments), name: m.source });
    } else {
      chat.push({ role: 'user', content: textWithAttachments(m.content, m.attachments), name: m.source });
    }
  });
  return chat;
}

type ContentPart = OpenAI.Chat.Completions.ChatCompletionContentPart;

/**
 * A message with files as OpenAI content parts: images (bytes or URL) as `image_url`, text files
 * as their text, other inline files as `file` parts, data as JSON text. A file known only by a URL
 * that is not an image is named in a line, since the API takes no URL for other files.
 */
function contentParts(text: string, attachments: readonly Attachment[]): ContentPart[] {
  const parts: ContentPart[] = text ? [{ type: 'text', text }] : [];
  for (const a of attachments) {
    if (a.kind === 'data') {
      parts.push({ type: 'text', text: JSON.stringify(a.data, null, 2) });
      continue;
    }
    const type = baseMediaType(a.mediaType);
    const dataUrl = a.bytes !== undefined ? `data:${type || 'application/octet-stream'};base64,${a.bytes}` : undefined;
    if (type.startsWith('image/')) parts.push({ type: 'image_url', image_url: { url: dataUrl ?? a.url! } });
    else if (dataUrl && (type.startsWith('text/') || type === 'application/json'))
      parts.push({ type: 'text', text: `${a.name ?? 'file'}:\n${Buffer.from(a.bytes!, 'base64').toString('utf8')}` });
    else if (dataUrl) parts.push({ type: 'file', file: { file_data: dataUrl, filename: a.name ?? 'file' } });
    else parts.push({ type: 'text', text: describeAttachment(a) });
  }
  return parts;
}

type RequestMessage = AgentPrompt['messages'][number];

/**
 * The API wants a call's results right after it. A person may have said something in between (the
 * answer to a remote tool's question, recorded when it was given): such messages move to just
 * after the results, so the call keeps its results and the model still sees what was said.
 */
function resultsAfterCalls(messages: RequestMessage[]): RequestMessage[] {
  const out = [...messages];
  for (let i = 0; i < out.length; i++) {
    if (out[i]!.kind !== 'tool_call') continue;
    let j = i + 1;
    while (j < out.length && out[j]!.kind !== 'tool_result' && out[j]!.kind !== 'tool_call') j++;
    if (j === i + 1 || j >= out.length || out[j]!.kind !== 'tool_result') continue;
    const [result] = out.splice(j, 1);
    out.splice(i + 1, 0, result!);
  }
  return out;
}
