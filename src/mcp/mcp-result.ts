import type { Attachment } from '../core/attachments';

/** What a `tools/call` answers, as far as the run keeps it. */
export interface McpCallResult {
  content?: McpContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

type McpContent =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; data: string; mimeType: string }
  | { type: 'resource'; resource: { uri: string; text?: string; blob?: string; mimeType?: string } }
  | { type: 'resource_link'; uri: string; name: string; description?: string };

/**
 * The result as the run keeps it. Text is the tool's answer as the model reads it: text parts as
 * they are, embedded text resources in full, a note of each file (the model of a tool result
 * reads text only), structured content as JSON when no text says it. Files (images, audio,
 * binary resources) and structured content also come as attachments, which the store keeps with
 * the text and readers (the transcript, A2A, the console) show as file and data parts.
 */
export function mcpResultOf(result: McpCallResult): { text: string; attachments: Attachment[] } {
  const attachments: Attachment[] = [];
  const file = (mediaType: string, bytes: string, name?: string) => {
    attachments.push({ kind: 'file', mediaType, bytes, ...(name ? { name } : {}) });
    return `[${name ? `${name}, ` : ''}${mediaType}, ${Math.floor((bytes.length * 3) / 4)} bytes]`;
  };
  const parts = (result.content ?? []).map((part) => {
    switch (part.type) {
      case 'text':
        return part.text;
      case 'image':
      case 'audio':
        return file(part.mimeType, part.data);
      case 'resource':
        if (part.resource.text !== undefined) return part.resource.text;
        if (part.resource.blob !== undefined)
          return file(part.resource.mimeType ?? 'application/octet-stream', part.resource.blob, part.resource.uri);
        return `[resource ${part.resource.uri}]`;
      case 'resource_link':
        return `[link: ${part.name} ${part.uri}${part.description ? ` (${part.description})` : ''}]`;
      default:
        return `[${(part as { type: string }).type}]`;
    }
  });
  if (result.structuredContent) {
    attachments.push({ kind: 'data', data: result.structuredContent });
    if (!parts.some((p) => p.trim())) parts.push(JSON.stringify(result.structuredContent));
  }
  return { text: parts.join('\n'), attachments };
}
