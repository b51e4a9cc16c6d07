import type { StoreSite } from '../../site/store-site';
import { PostgresRequestCounter } from './postgres-request-counter';
import { RamRequestCounter, secondsUntilAllowed, slidingEstimate, type RequestCounter } from './request-counter';

export const DEFAULT_WINDOW_MS = 60_000;

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
  /** Requests a caller may make per window. */
  limit: number;
  counter: RequestCounter;
  /** The window's length. Default one minute; tests may shorten it. */
  windowMs?: number;
  /** Default Date.now; tests move it forward instead of waiting. */
  clock?: () => number;
  /** Where the one line about a counter that cannot be reached goes. */
  log: (line: string) => void;
}

/** Requests per minute per caller key, on a counter that may be shared by replicas. */
export class RateLimiter {
  readonly limit: number;
  private readonly windowMs: number;
  private readonly clock: () => number;
  private down = false;

  constructor(private readonly options: RateLimiterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Counts this request and says whether it is within the limit. A counter that cannot be
   * reached lets every request through (a quota is not worth an outage): one log line when it
   * goes, one when it is back.
   */
  async check(key: string): Promise<RateVerdict> {
    const now = this.clock();
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    const elapsed = (now - windowStart) / this.windowMs;
    let counts;
    try {
      counts = await this.options.counter.hit(key, windowStart, this.windowMs);
    } catch (err) {
      if (!this.down) {
        this.down = true;
        this.options.log(
          `request counter ${this.options.counter.location} cannot be reached, so requests are not limited until it is back: ${(err as Error).message}`,
        );
      }
      return { allowed: true };
    }
    if (this.down) {
      this.down = false;
      this.options.log(`request counter ${this.options.counter.location} is back; requests are limited again`);
    }
    if (slidingEstimate(counts, elapsed) <= this.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: secondsUntilAllowed(counts, elapsed, this.limit, this.windowMs) };
  }

  close(): Promise<void> {
    return this.options.counter.close();
  }
}

/**
 * The counter beside a conversation store: a small table in PostgreSQL, on the store's pool, when
 * the store is PostgreSQL (so replicas share the count), else this process's RAM (the folder and
 * memory stores mean one process, and so a limit per process).
 */
export function requestCounterOn(site: StoreSite): RequestCounter {
  return site.postgres ? new PostgresRequestCounter(site.postgres) : new RamRequestCounter();
}
