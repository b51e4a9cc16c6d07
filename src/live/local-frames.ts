import type { LiveItem } from '../core/live';

/**
 * What passes between the processes on one machine: one JSON line per batch, the run id in the
 * clear (so a process that does not watch the run skips it without opening it) and the batch
 * sealed with the store's codec, as bytes in base64. Lines, because a stream socket has no message
 * boundaries of its own, and base64 and JSON never hold a raw newline.
 */
export interface LiveFrame {
  runId: string;
  sealed: Uint8Array;
}

/** A batch larger than this is not a preview: the line is refused and its connection cut. */
export const MAX_FRAME_CHARS = 16 * 1024 * 1024;

export function frameLine(runId: string, sealed: Uint8Array): string {
  return `${JSON.stringify({ runId, payload: Buffer.from(sealed).toString('base64') })}\n`;
}

/** The frame a line holds, or null for anything else. */
export function parseFrame(line: string): LiveFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const { runId, payload } = (value ?? {}) as { runId?: unknown; payload?: unknown };
  if (typeof runId !== 'string' || !runId || typeof payload !== 'string') return null;
  return { runId, sealed: Buffer.from(payload, 'base64') };
}

/** Whether what a frame unsealed to is a batch of live items of its run (and of no other). */
export function isBatchOf(value: unknown, runId: string): value is LiveItem[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (item) =>
        typeof item === 'object' && item !== null && (item as LiveItem).runId === runId && typeof (item as LiveItem).type === 'string',
    )
  );
}

/**
 * Cuts what a connection sends into lines. `push` answers the whole lines that came, or 'too long'
 * once the line being read passes MAX_FRAME_CHARS (then the connection should be cut).
 */
export class LineReader {
  private pending = '';

  push(chunk: string): string[] | 'too long' {
    // Only the new chunk is searched: a long line arriving in many pieces is not scanned again each time.
    const parts = chunk.split('\n');
    const rest = parts.pop()!;
    const lines = parts.length > 0 ? [this.pending + parts[0]!, ...parts.slice(1)] : [];
    this.pending = parts.length > 0 ? rest : this.pending + rest;
    return this.pending.length > MAX_FRAME_CHARS ? 'too long' : lines;
  }
}
