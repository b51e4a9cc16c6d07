/** The p-th percentile (0-100) of samples, by nearest rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: number[]) => percentile(samples, 50);

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/**
 * Runs each scenario n times, taking turns (a, b, c, a, b, c, ...) so that drift in the machine
 * or the server (a history store that grows, another process waking up) weighs on all alike.
 * Returns each scenario's wall times in ms.
 */
export async function timeInterleaved(n: number, scenarios: ((i: number) => Promise<unknown>)[]): Promise<number[][]> {
  const times: number[][] = scenarios.map(() => []);
  for (let i = 0; i < n; i++) {
    for (const [k, scenario] of scenarios.entries()) {
      const start = performance.now();
      await scenario(i);
      times[k]!.push(performance.now() - start);
    }
  }
  return times;
}

/** Runs `fn` n times in sequence and returns each run's wall time in ms. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times;
}
