import { AGENT_NAME_PATTERN, type RemoteAgentSpec } from '../spec/agent';
import type { RemoteToolSpec } from '../spec/tools';
import { toolNameOf } from '../spec/tools';
import type { RemoteCard } from './agent-card';

/** What a team file can say about one discovered card: a participant per skill, a tool per skill. */
export interface Discovered {
  card: string;
  name: string;
  description: string;
  participants: RemoteAgentSpec[];
  tools: RemoteToolSpec[];
}

/** An agent name made from a card's or skill's name: what the name rule does not allow becomes "_". */
export function agentNameOf(text: string): string {
  const name = text
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 64);
  return AGENT_NAME_PATTERN.test(name) ? name : 'remote_agent';
}

/**
 * Turns a card into team-file entries: each skill a participant (kind a2a, addressing that skill)
 * and a tool of an LLM agent. A card without skills is one participant and one tool.
 */
export function discoveredEntries(cardUrl: string, card: RemoteCard): Discovered {
  const skills = card.skills.length > 0 ? card.skills : [null];
  return {
    card: cardUrl,
    name: card.name,
    description: card.description,
    participants: skills.map((skill) => ({
      name: agentNameOf(skill ? skill.id : card.name),
      kind: 'a2a' as const,
      description: skill ? `${skill.description} (skill "${skill.name}" of ${card.name})` : card.description || card.name,
      card: cardUrl,
      ...(skill ? { skill: skill.id } : {}),
    })),
    tools: skills.map((skill) => ({ card: cardUrl, ...(skill ? { skill: skill.id, name: toolNameOf(skill.id) } : {}) })),
  };
}
