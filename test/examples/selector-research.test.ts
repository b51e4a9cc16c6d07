import { runSelectorResearch } from '../../examples/selector-research/run';
import { finalAnswer } from '../../examples/shared/run-and-follow';
import { exampleRunOptions } from './gallery-env';

describe('examples/selector-research', () => {
  it('plans, searches and writes, the candidate filter keeping the writer out until something was searched', async () => {
    const { printed: _printed, ...options } = await exampleRunOptions();
    const { result, choices } = await runSelectorResearch(options);

    expect(result.snapshot.stopReason).toBe('"FINAL" mentioned by writer');
    expect(finalAnswer(result)).toContain('never repeated');
    expect(choices).toEqual([
      // The model asked for the writer first: not a candidate yet, so it was asked again.
      { speaker: 'planner', by: 'selector', attempts: 2 },
      { speaker: 'searcher', by: 'selector', attempts: 1 },
      { speaker: 'writer', by: 'selector', attempts: 1 },
    ]);
  });
});
