/**
 * What `serve` allows by default: an A2A client follows each task it waits on with one stream
 * (SendStreamingMessage, SubscribeToTask) and a console page one watch per run it shows, so 50
 * at once leaves a busy orchestrator or a handful of open pages room, while one token can no
 * longer hold hundreds of connections, each with a follower polling Temporal and its buffers.
 */
export const DEFAULT_MAX_STREAMS_PER_CALLER = 50;

/** What Retry-After says to a caller at its streams limit: a stream ends when its run does or its client leaves it. */
export const STREAMS_RETRY_AFTER_SECONDS = 10;

/**
 * Event streams open per caller in this process: each takes a place until it ends or its client
 * goes. Kept in memory, per front end, on purpose: a stream holds this process's connection,
 * follower and buffers, whatever its other replicas serve.
 */
export class OpenStreams {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A place for one more stream of the caller, with how to give it back (once); null at its limit, with how many it has open. */
  take(key: string): { release(): void } | { refused: number } {
    const count = this.open.get(key) ?? 0;
    if (count >= this.limit) return { refused: count };
    this.open.set(key, count + 1);
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      },
    };
  }
}
