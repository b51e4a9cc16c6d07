import type { CandidateFilter, SpeakerContext } from '../../src/tools/speaker-functions';

/**
 * Who the selector's model may choose next: the writer only when the searcher has spoken since
 * the planner last did, so no answer is written from a plan alone. Runs on the worker as an
 * activity each turn; the team file names it.
 */
export const searchBeforeWriting: CandidateFilter = ({ agents, messages }: SpeakerContext) => {
  const lastPlan = messages.map((m) => m.source).lastIndexOf('planner');
  const searchedSincePlan = messages.slice(lastPlan + 1).some((m) => m.source === 'searcher');
  return agents.map((agent) => agent.name).filter((name) => name !== 'writer' || (lastPlan >= 0 && searchedSincePlan));
};

/** The `--tools` module shape: `durable-teams worker --tools dist/examples/selector-research/speaker-functions.js`. */
export const tools = [];
export const candidateFilters = { searchBeforeWriting };
