import { liveKey, type DraftItem, type LiveItem, type LiveSource } from '../core/live';
import type { RunEvent } from '../core/events';
import type { RunStall } from '../core/stall';
import { followWithStalls, type FollowItem } from './follow-with-stalls';
import type { Nudge } from './follow';
import { RunNotFoundError } from '../temporal/errors';
import type { RunReads } from './run-reads';
import type { LiveChannel } from '../live/channel';
import { followHistory } from './read-model/history-follower';
import { wholeEvents } from './conversation-reader';

/** What a watcher of a run receives: its recorded events, its stalls, and the text being written. */
export type FeedItem =
  | FollowItem
  | { type: 'live'; item: DraftItem }
  /** No worker answers the run's queries (or one does again): the run waits, safe in Temporal. */
  | { type: 'waiting'; waiting: boolean; detail: string };

export interface FeedSettings {
  /** Poll bounds of the one follower per run; a nudge from a worker cuts a wait short. */
  minPollMs: number;
  maxPollMs: number;
}

/**
 * One follower per run per process, shared by everyone in the process who watches that run: a
 * thousand A2A subscribers of one task cost the workers what one costs. The follower reads the
 * run's events by query (any process can serve any run) and hears the workers' live items through
 * the channel; each watcher gets its own ordered copy, starting where it asked to.
 */
export class RunFeeds {
  private readonly feeds = new Map<string, RunFeed>();

  constructor(
    private readonly reads: RunReads,
    private readonly channel: LiveChannel | null,
    private readonly settings: FeedSettings,
  ) {}

  /** Runs followed now, and watchers over all of them: what the benchmark and /metrics-like checks read. */
  get counts(): { runs: number; watchers: number } {
    let watchers = 0;
    for (const feed of this.feeds.values()) watchers += feed.watchers.size;
    return { runs: this.feeds.size, watchers };
  }

  /**
   * The run's events numbered above `after`, each once and in order, with live items between
   * them, until `run_finished` (or the run ends from outside, or `signal` aborts). A watcher that
   * joins while a reply is being written first gets that reply's text so far.
   */
  async *watch(runId: string, options: { after: number; signal: AbortSignal }): AsyncGenerator<FeedItem> {
    let feed = this.feeds.get(runId);
    if (!feed || feed.closed) {
      feed = new RunFeed(this.reads, this.channel, runId, this.settings, () => this.feeds.delete(runId));
      this.feeds.set(runId, feed);
      feed.start(options.after);
    }
    const watcher = new Watcher(options.signal);
    feed.join(watcher);
    let seen = options.after;
    try {
      // The follower is past where this watcher starts: what lies between comes from the events it
      // keeps, or (older than those) is read for this watcher alone.
      if (feed.position > seen)
        for (const event of feed.kept(seen) ?? (await this.catchUp(runId, seen, feed.position, options.signal))) {
          yield { type: 'event', event };
          seen = event.seq;
          if (event.type === 'run_finished') return;
        }
      for (;;) {
        const item = await watcher.next();
        if (item === null) return; // the run ended (or the watcher left)
        if (item.type !== 'event') {
          yield item;
          continue;
        }
        const { event } = item;
        if (event.seq <= seen) continue;
        if (event.seq > seen + 1)
          for (const missed of await this.catchUp(runId, seen, event.seq - 1, options.signal)) yield { type: 'event', event: missed };
        yield item;
        seen = event.seq;
        if (event.type === 'run_finished') return;
      }
    } finally {
      feed.leave(watcher);
    }
  }

  /** Ends every follower and its watchers (the client is closing); resolves once the followers have stopped. */
  async close(): Promise<void> {
    await Promise.all([...this.feeds.values()].map((feed) => feed.end()));
  }

  /** The run's events changed in a way no worker announces (an answer sent from here): its follower asks now. */
  nudge(runId: string): void {
    this.feeds.get(runId)?.nudge('soon');
  }

  /** Events in (from, to], read from the run's history (or by query, for a run without a read model), for a watcher behind the shared follower. */
  private async catchUp(runId: string, from: number, to: number, signal: AbortSignal): Promise<RunEvent[]> {
    const found: RunEvent[] = [];
    let after = from;
    let failures = 0;
    while (after < to && !signal.aborted) {
      let events: RunEvent[];
      try {
        events = (await this.reads.events(runId, after)).events;
      } catch (err) {
        // Gone for good, or failing every time: the watcher hears why rather than waiting forever.
        if (err instanceof RunNotFoundError || ++failures >= MAX_CATCH_UP_FAILURES) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // no worker answers just now; the follower says so
        continue;
      }
      if (events.length === 0) break;
      for (const event of events) if (event.seq <= to) found.push(event);
      after = events[events.length - 1]!.seq;
    }
    return found;
  }
}

/** The text of one call being written, as far as it has come. */
interface Draft {
  source: LiveSource;
  tool?: string;
  text: string;
}

/** How many failed reads in a row (about half a minute of them) a watcher's catch-up takes before it ends the watch. */
const MAX_CATCH_UP_FAILURES = 30;

/** The newest events a follower keeps for watchers who join after them. */
const KEPT_EVENTS = 2_000;

class RunFeed {
  readonly watchers = new Set<Watcher>();
  /** The last event the follower passed on. */
  position = 0;
  /** The newest events passed on, oldest first, unbroken. */
  private readonly recent: RunEvent[] = [];
  closed = false;
  private readonly drafts = new Map<string, Draft>();
  private stall: RunStall | null = null;
  private waiting: string | null = null;
  private readonly stop = new AbortController();
  private nudges: ((nudge: Nudge) => void)[] = [];
  /** A worker was heard through the channel: nudges come, and the follower may poll slowly while quiet. */
  private heard = false;
  private unsubscribe: Promise<() => Promise<void>> | null = null;
  private following: Promise<void> = Promise.resolve();

  constructor(
    private readonly reads: RunReads,
    private readonly channel: LiveChannel | null,
    private readonly runId: string,
    private readonly settings: FeedSettings,
    private readonly forget: () => void,
  ) {}

  start(after: number): void {
    this.position = after;
    this.unsubscribe = this.channel?.subscribe(this.runId, (items) => this.hear(items)).catch(() => async () => undefined) ?? null;
    this.following = this.follow(after);
  }

  /** Stops following now; resolves once the follower's loop has ended. */
  async end(): Promise<void> {
    this.close();
    await this.following;
  }

  /** The events above `after` up to `position`, when the follower still keeps them all; else null. */
  kept(after: number): RunEvent[] | null {
    const first = this.recent[0]?.seq;
    if (first === undefined || first > after + 1) return null;
    return this.recent.filter((e) => e.seq > after);
  }

  join(watcher: Watcher): void {
    this.watchers.add(watcher);
    if (this.stall) watcher.push({ type: 'stall', stall: this.stall });
    if (this.waiting) watcher.push({ type: 'waiting', waiting: true, detail: this.waiting });
    // A reply being written is shown from its start, as one piece.
    for (const draft of this.drafts.values())
      watcher.push({
        type: 'live',
        item: { ...draft.source, type: 'delta', text: draft.text, ...(draft.tool ? { tool: draft.tool } : {}) },
      });
  }

  leave(watcher: Watcher): void {
    this.watchers.delete(watcher);
    if (this.watchers.size === 0) this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.forget();
    this.stop.abort();
    this.nudge('now');
    void this.unsubscribe?.then((stop) => stop()).catch(() => undefined);
    for (const watcher of this.watchers) watcher.end();
  }

  private async follow(after: number): Promise<void> {
    try {
      const onWaiting = (waiting: boolean, detail: string) => {
        this.waiting = waiting ? detail : null;
        for (const watcher of this.watchers) watcher.push({ type: 'waiting', waiting, detail });
      };
      const signal = this.stop.signal;
      // A run with a read model is followed in its history, from where its current execution
      // began (the events kept serve later watchers); one begun before it, by query.
      const items = (await this.reads.followsHistory(this.runId))
        ? followHistory(this.reads.client, this.runId, { after: 0, signal, onWaiting })
        : followWithStalls(this.reads, this.runId, {
            after,
            signal,
            ...this.settings,
            nudged: () => new Promise<Nudge>((resolve) => this.nudges.push(resolve)),
            relaxed: () => this.heard,
            onWaiting,
          });
      for await (const found of items) {
        // A message event read from history holds its record: made whole once here, for every watcher.
        const item = found.type === 'event' ? { ...found, event: await this.whole(found.event) } : found;
        if (item.type === 'stall') this.stall = item.stall;
        else {
          this.keep(item.event);
          if (item.event.type === 'message') this.recorded(item.event);
        }
        for (const watcher of this.watchers) watcher.push(item);
      }
    } catch (err) {
      for (const watcher of this.watchers) watcher.fail(err);
    } finally {
      this.close();
    }
  }

  private async whole(event: RunEvent): Promise<RunEvent> {
    if (event.type === 'run_started') return this.reads.withTask(this.runId, event);
    if (event.type !== 'message' || !event.message.elided) return event;
    const page = await wholeEvents(this.reads.store, this.runId, { events: [event], lastSeq: event.seq, gap: false });
    return page.events[0]!;
  }

  private keep(event: RunEvent): void {
    if (this.recent.length > 0 && event.seq !== this.recent.at(-1)!.seq + 1) this.recent.length = 0; // unbroken only
    this.recent.push(event);
    if (this.recent.length > KEPT_EVENTS) this.recent.shift();
    this.position = Math.max(this.position, event.seq);
  }

  nudge(kind: Nudge): void {
    for (const wake of this.nudges.splice(0)) wake(kind);
  }

  /** Items from the workers: drafts kept for watchers who join later, nudges passed to the follower. */
  private hear(items: LiveItem[]): void {
    this.heard = true;
    for (const item of items) {
      if (item.type === 'nudge') {
        this.nudge(item.soon ? 'soon' : 'now');
        continue;
      }
      const key = liveKey(item);
      const draft = this.drafts.get(key);
      if (item.type === 'done') this.drafts.delete(key);
      else if (item.type === 'reset' || !draft || draft.source.attempt !== item.attempt || draft.tool !== item.tool) {
        const text = item.type === 'delta' ? item.text : '';
        this.drafts.set(key, { source: sourceOf(item), text, ...(item.type === 'delta' && item.tool ? { tool: item.tool } : {}) });
      } else if (item.type === 'delta') draft.text += item.text;
      for (const watcher of this.watchers) watcher.push({ type: 'live', item });
    }
  }

  /** A recorded message ends the drafts of its turn and speaker, should their `done` have been lost. */
  private recorded(event: Extract<RunEvent, { type: 'message' }>): void {
    for (const [key, draft] of this.drafts)
      if (draft.source.turn === event.message.turn && draft.source.agent === event.message.source) this.drafts.delete(key);
  }
}

const sourceOf = (item: LiveSource): LiveSource => ({
  runId: item.runId,
  turn: item.turn,
  agent: item.agent,
  call: item.call,
  attempt: item.attempt,
});

/** One watcher's queue: items wait here until its stream takes them. */
class Watcher {
  private readonly queue: FeedItem[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private error: unknown = null;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.end(), { once: true });
  }

  push(item: FeedItem): void {
    this.queue.push(item);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  fail(err: unknown): void {
    this.error = err;
    this.end();
  }

  /** The next item, or null once the feed ended and the queue is empty. */
  async next(): Promise<FeedItem | null> {
    for (;;) {
      if (this.signal.aborted) return null;
      const item = this.queue.shift();
      if (item) return item;
      if (this.error) throw this.error;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
