/** What a `tools/call` answers, as far as the model is shown it. */
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
 * The result as text for the model: text as it is; images, audio and binary resources as a note
 * of what they were (their bytes are not put before a text model); embedded text resources in
 * full; structured content as JSON when no text says it.
 */
export function mcpResultText(result: McpCallResult): string {
  const parts = (result.content ?? []).map((part) => {
    switch (part.type) {
      case 'text':
        return part.text;
      case 'image':
      case 'audio':
        return `[${part.type} ${part.mimeType}, ${Math.floor((part.data.length * 3) / 4)} bytes]`;
      case 'resource':
        return part.resource.text ?? `[resource ${part.resource.uri}${part.resource.mimeType ? `, ${part.resource.mimeType}` : ''}]`;
      case 'resource_link':
        return `[link: ${part.name} ${part.uri}${part.description ? ` (${part.description})` : ''}]`;
      default:
        return `[${(part as { type: string }).type}]`;
    }
  });
  if (!parts.some((p) => p.trim()) && result.structuredContent) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}
