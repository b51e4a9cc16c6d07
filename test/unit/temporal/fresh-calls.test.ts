import { FreshCalls } from '../../../src/client/read-model/fresh-calls';

/** A call whose answer the test gives when it likes, numbered by when it began. */
function calls() {
  const pending: ((value: number) => void)[] = [];
  let begun = 0;
  return {
    call: () => {
      const n = ++begun;
      return new Promise<number>((resolve) => pending.push(() => resolve(n)));
    },
    finish: async () => {
      pending.shift()!(0);
      await new Promise((resolve) => setImmediate(resolve));
    },
    get begun() {
      return begun;
    },
  };
}

describe('FreshCalls', () => {
  it('gives readers who arrive during a call the next one, shared, never the one begun before them', async () => {
    const fresh = new FreshCalls<number>();
    const c = calls();
    const first = fresh.get('run', c.call);
    const second = fresh.get('run', c.call);
    const third = fresh.get('run', c.call);
    expect(c.begun).toBe(1); // the latecomers wait for the next call
    await c.finish();
    expect(await first).toBe(1);
    expect(c.begun).toBe(2); // one call for both latecomers
    await c.finish();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    // Nothing in flight: a new reader begins a call of its own.
    const fourth = fresh.get('run', c.call);
    expect(c.begun).toBe(3);
    await c.finish();
    expect(await fourth).toBe(3);
  });

  it('keeps keys apart and lets a failure reach only the readers of that call', async () => {
    const fresh = new FreshCalls<number>();
    let fail = true;
    const call = () => (fail ? Promise.reject(new Error('refused')) : Promise.resolve(7));
    const a = fresh.get('a', call);
    const b = fresh.get('a', () => ((fail = false), call()));
    await expect(a).rejects.toThrow('refused');
    expect(await b).toBe(7);
    expect(await fresh.get('b', () => Promise.resolve(1))).toBe(1);
  });
});
