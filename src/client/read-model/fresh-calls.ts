/**
 * Shares one call among the readers of a key that arrive together, without giving any of them an
 * answer older than its own arrival: a reader that comes while a call is in flight waits for the
 * next one, which starts when that one ends, and shares it with everyone else who came meanwhile.
 * So 200 GetTasks of one task at once cost Temporal two describes, not 200, and a client that has
 * seen step N on a stream never reads the task from before N.
 */
export class FreshCalls<T> {
  private readonly inFlight = new Map<string, { current: Promise<T>; next: Promise<T> | null }>();

  get(key: string, call: () => Promise<T>): Promise<T> {
    const slot = this.inFlight.get(key);
    if (!slot) return this.begin(key, call);
    slot.next ??= slot.current.then(
      () => this.begin(key, call, true),
      () => this.begin(key, call, true),
    );
    return slot.next;
  }

  private begin(key: string, call: () => Promise<T>, following = false): Promise<T> {
    const current = call();
    if (following) {
      const slot = this.inFlight.get(key);
      if (slot) [slot.current, slot.next] = [current, null];
    } else this.inFlight.set(key, { current, next: null });
    const settle = () => {
      const slot = this.inFlight.get(key);
      if (slot?.current === current && !slot.next) this.inFlight.delete(key);
    };
    current.then(settle, settle);
    return current;
  }
}
