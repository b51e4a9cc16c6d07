import type { Response } from 'express';

/**
 * SSE ids for a task's stream, so a client that loses its connection can say where it was
 * (`Last-Event-ID`) and go on from there. An id is the number of the last recorded event the
 * stream had passed on, then `~k` for the k-th event since that was not itself recorded (text
 * being written, a stall notice): `42`, `42~3`. Resuming after either means "after recorded event
 * 42": every recorded event comes once, and text being written starts again from its beginning.
 */
export interface StreamEventIds {
  /** The id of the event about to be written. */
  next(id: string): void;
}

export const eventIdAfter = (seq: number, since: number): string => (since === 0 ? String(seq) : `${seq}~${since}`);

/** The recorded event a `Last-Event-ID` says the client has seen; null when absent or not one of ours. */
export function recordedSeqOf(lastEventId: string | undefined): number | null {
  const match = /^(\d{1,15})(?:~\d{1,15})?$/.exec(lastEventId?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Writes each stream event's id before its data. The SDK writes an event as one `data: …` chunk
 * and knows nothing of ids; the stream says the id of the event it yields next, and this puts it
 * in front of that chunk. Error events and anything else pass unchanged.
 */
export function sseEventIds(res: Response): StreamEventIds {
  let pending: string | null = null;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (pending !== null && typeof chunk === 'string' && chunk.startsWith('data: ')) {
      chunk = `id: ${pending}\n${chunk}`;
      pending = null;
    }
    return write(chunk, ...rest);
  }) as Response['write'];
  return { next: (id) => (pending = id) };
}
