import type { LiveItem, LivePublisher } from '../core/live';
import type { LiveChannel } from './channel';

/** Deltas are gathered for at most this long before they are sent: a watcher sees text at least this often. */
export const LIVE_BATCH_MS = 50;

/**
 * The worker's publisher: deltas are sent at most every `batchMs` (a model writing 100 tokens a
 * second costs 20 notifications, not 100), those of one window joined when they continue the same
 * text; anything else (a reset, the end of a call, a nudge) is sent at once, after what came
 * before it, so a watcher sees every item in the order it was published.
 */
export class LiveBatcher implements LivePublisher {
  private readonly pending = new Map<string, LiveItem[]>();
  private timer: NodeJS.Timeout | null = null;
  private sent: Promise<unknown> = Promise.resolve();
  private lastFlush = 0;

  constructor(
    private readonly channel: LiveChannel,
    private readonly batchMs = LIVE_BATCH_MS,
  ) {}

  publish(item: LiveItem): void {
    let items = this.pending.get(item.runId);
    if (!items) this.pending.set(item.runId, (items = []));
    const last = items[items.length - 1];
    if (
      item.type === 'delta' &&
      last?.type === 'delta' &&
      last.call === item.call &&
      last.attempt === item.attempt &&
      last.tool === item.tool
    )
      items[items.length - 1] = { ...last, text: last.text + item.text };
    else items.push(item);
    if (item.type !== 'delta') return void this.flush();
    if (this.timer) return;
    // The first piece after a quiet spell goes at once (the first token is what a watcher waits
    // for most); what follows within the window is gathered and sent at its end.
    const wait = this.lastFlush + this.batchMs - Date.now();
    if (wait <= 0) void this.flush();
    else this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Sends everything gathered; resolves when the channel has taken it. */
  flush(): Promise<unknown> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlush = Date.now();
    const batches = [...this.pending];
    this.pending.clear();
    for (const [runId, items] of batches) this.sent = this.channel.publish(runId, items);
    return this.sent;
  }
}
