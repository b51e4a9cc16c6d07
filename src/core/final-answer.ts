import { isHuman } from '../spec/plain/agent-kinds';
import type { TeamSpec } from '../spec/team';
import { isConversational, TASK_SOURCE, type ChatMessage } from './messages';

/** The people of a team: their messages are never the team's answer. */
export function peopleOf(team: Pick<TeamSpec, 'agents'>): Set<string> {
  return new Set(team.agents.filter(isHuman).map((a) => a.name));
}

/** A run's answer: the newest message an agent (not the task's author, not a person) said to the team. */
export function finalAnswerOf(messages: readonly ChatMessage[], people: ReadonlySet<string>): ChatMessage | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (isConversational(m) && m.source !== TASK_SOURCE && !people.has(m.source)) return m;
  }
  return null;
}
