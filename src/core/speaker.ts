import type { AgentSpec } from '../spec/agent';
import type { TeamSpec } from '../spec/team';
import type { RunState } from './state';

/** The agent after the last speaker, in the order the team lists them. */
export function nextRoundRobinSpeaker(team: TeamSpec, lastSpeaker: string | null): AgentSpec {
  const last = team.agents.findIndex((a) => a.name === lastSpeaker);
  return team.agents[(last + 1) % team.agents.length]!;
}

export function agentNamed(team: TeamSpec, name: string): AgentSpec {
  const agent = team.agents.find((a) => a.name === name);
  if (!agent) throw new Error(`team "${team.name}" has no agent "${name}"`);
  return agent;
}

/**
 * Who may speak next under the selector pattern: the transitions filter first, then, unless
 * repeats are allowed, everyone but the last speaker (if that leaves anyone).
 */
export function selectorCandidates(team: TeamSpec, state: RunState): string[] {
  let names = team.agents.map((a) => a.name);
  const last = state.lastSpeaker;
  const allowed = last ? team.selector?.transitions?.[last] : undefined;
  if (allowed) names = names.filter((n) => allowed.includes(n));
  if (last && !team.selector?.allowRepeatedSpeaker && names.length > 1) names = names.filter((n) => n !== last);
  return names;
}

/** Where a selection that never got a clear answer lands: the last speaker if allowed, else the first candidate. */
export function fallbackSpeaker(state: RunState, candidates: string[]): string {
  return state.lastSpeaker && candidates.includes(state.lastSpeaker) ? state.lastSpeaker : candidates[0]!;
}
