/**
 * Requests per minute, counted per caller in fixed windows (one minute by default).
 *
 * Why two fixed windows and a sliding estimate, not a token bucket: the count must be shared by
 * every front-end replica through PostgreSQL, in one atomic statement per request. A window's
 * count is a plain integer that an `INSERT … ON CONFLICT DO UPDATE SET hits = hits + 1` bumps
 * without reading first, and any replica can compute the same estimate from it. A token bucket
 * needs its level and last refill time read, refilled and written back together, which across
 * replicas means a row lock or a serialisable transaction per request. The estimate
 * (previous window × the part of it still inside the last minute + current window) smooths the
 * burst a plain fixed window allows at its edge; it assumes the previous window's requests were
 * spread evenly, which is good enough for a quota.
 *
 * Every request counts, refused ones too: a client that ignores Retry-After stays refused.
 */
export interface WindowCounts {
  /** Requests in the window before the current one. */
  previous: number;
  /** Requests in the current window, this one included. */
  current: number;
}

/** Where the windows' counts live: this process's memory, or a table shared by the replicas. */
export interface RequestCounter {
  /** Where, for log lines (a URL's password shown as ***). */
  readonly location: string;
  /** Counts one request of `key` in the window that starts at `windowStart` (ms); returns that window's count and the previous one's. */
  hit(key: string, windowStart: number, windowMs: number): Promise<WindowCounts>;
  close(): Promise<void>;
}

/** The counter of one process: enough with the folder store, where one process serves. */
export class RamRequestCounter implements RequestCounter {
  readonly location = 'memory';
  /** Window start → key → requests. */
  private readonly windows = new Map<number, Map<string, number>>();

  hit(key: string, windowStart: number, windowMs: number): Promise<WindowCounts> {
    let window = this.windows.get(windowStart);
    if (!window) {
      this.windows.set(windowStart, (window = new Map()));
      // A new window: those older than the previous one are never read again.
      for (const start of this.windows.keys()) if (start < windowStart - windowMs) this.windows.delete(start);
    }
    const current = (window.get(key) ?? 0) + 1;
    window.set(key, current);
    return Promise.resolve({ current, previous: this.windows.get(windowStart - windowMs)?.get(key) ?? 0 });
  }

  close(): Promise<void> {
    this.windows.clear();
    return Promise.resolve();
  }
}

/** The estimate of requests in the last window's length, `elapsed` being the fraction of the current window gone (0 ≤ elapsed < 1). */
export function slidingEstimate(counts: WindowCounts, elapsed: number): number {
  return counts.previous * (1 - elapsed) + counts.current;
}

/**
 * Whole seconds (at least 1) until one more request would be within `limit`, if no other comes:
 * later in this window while the current count leaves room, else into the next window, where
 * this window's count becomes the previous one and fades.
 */
export function secondsUntilAllowed(counts: WindowCounts, elapsed: number, limit: number, windowMs: number): number {
  let waitFraction: number;
  if (counts.current + 1 <= limit) {
    const needed = counts.previous > 0 ? 1 - (limit - counts.current - 1) / counts.previous : 0;
    waitFraction = Math.max(0, needed - elapsed);
  } else {
    const needed = counts.current > 0 ? 1 - (limit - 1) / counts.current : 0;
    waitFraction = 1 - elapsed + Math.max(0, needed);
  }
  // To the millisecond first, so float dust (20000.000001 ms) does not add a second.
  return Math.max(1, Math.ceil(Math.round(waitFraction * windowMs) / 1000));
}
