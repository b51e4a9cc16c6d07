import { earlierParts, type PastRun } from '../../../src/core/earlier';

const run = (runId: string, count: number, answer: number | null): PastRun => ({ runId, count, answer });

describe('earlierParts: what a new run reads before its own messages', () => {
  const chain = [run('a', 5, 4), run('b', 3, null)];
  const references = [run('b', 3, null), run('x', 7, 6)];

  test('full: every earlier run whole, then references not already read', () => {
    expect(earlierParts(chain, references, 'full')).toEqual([
      { runId: 'a', count: 5 },
      { runId: 'b', count: 3 },
      { runId: 'x', count: 7 },
    ]);
  });

  test('answers: each run’s task and answer; a run with no answer gives its task', () => {
    expect(earlierParts(chain, references, 'answers')).toEqual([
      { runId: 'a', count: 5, only: [0, 4] },
      { runId: 'b', count: 3, only: [0] },
      { runId: 'x', count: 7, only: [0, 6] },
    ]);
  });

  test('none: the context is left out, but a reference the client named is read (task and answer), once', () => {
    expect(earlierParts(chain, references, 'none')).toEqual([
      { runId: 'b', count: 3, only: [0] },
      { runId: 'x', count: 7, only: [0, 6] },
    ]);
    expect(earlierParts([], [run('x', 7, 6), run('x', 7, 6)], 'none')).toHaveLength(1);
  });
});
