import type { LiveItem } from '../core/live';
import type { LiveChannel } from './channel';

/**
 * Live items within one process: the embedded setup (`serve`, `demo`, tests), where the worker and
 * the front end share a process and need nothing between them. Listeners are called on a later
 * tick, so a slow watcher never holds up the model call that publishes.
 */
export class RamLiveChannel implements LiveChannel {
  private readonly listeners = new Map<string, Set<(items: LiveItem[]) => void>>();

  async publish(runId: string, items: LiveItem[]): Promise<void> {
    const listeners = this.listeners.get(runId);
    if (!listeners || items.length === 0) return;
    for (const listener of listeners) setImmediate(() => listener(items));
  }

  async subscribe(runId: string, onItems: (items: LiveItem[]) => void): Promise<() => Promise<void>> {
    let listeners = this.listeners.get(runId);
    if (!listeners) this.listeners.set(runId, (listeners = new Set()));
    const listener = (items: LiveItem[]) => onItems(items);
    listeners.add(listener);
    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(runId) === listeners) this.listeners.delete(runId);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
