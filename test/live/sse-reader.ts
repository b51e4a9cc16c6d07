/** One server-sent event as the wire carried it. */
export interface SseEvent {
  id: string | null;
  data: unknown;
}

/**
 * Reads an SSE response body event by event, as a browser's EventSource would (id and data
 * lines), so tests see the ids the server wrote and can reconnect with Last-Event-ID.
 */
export async function* sseEvents(response: Response): AsyncGenerator<SseEvent> {
  if (!response.ok || !response.body) throw new Error(`the stream was refused: HTTP ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) yield { id, data: JSON.parse(data.join('\n')) };
    }
  }
}
