import type { LiveItem } from '../core/live';

/**
 * How live items get from the workers to the front ends. Delivery is best effort and at most
 * once: a subscriber that joins late or drops sees recorded events from Temporal, not the items it
 * missed. Every item of one run goes through one channel in order.
 */
export interface LiveChannel {
  /** Sends a batch (one run's items, in order). Never throws: a lost preview must not fail a call. */
  publish(runId: string, items: LiveItem[]): Promise<void>;
  /** Calls `onItems` with each batch sent for the run from now on; returns how to stop. */
  subscribe(runId: string, onItems: (items: LiveItem[]) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
