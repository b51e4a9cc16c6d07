import { maxMessages, team } from '../../src/spec';
import type { TeamSpec } from '../../src/spec';
import type { ServedRequest } from '../../src/testing/scripted-model';

/**
 * Teams whose tasks continue one another: one agent answering (default `context: full`), the same
 * with `answers` and with `none` (and two agents, so that `answers` has something to leave out),
 * and one where a person takes the second turn, so that its task waits.
 */
export function sessionTeam(name: string, setting?: TeamSpec['context']): TeamSpec {
  const built = team(name).roundRobin().model({ model: 'scripted' });
  if (setting) built.context(setting);
  return built
    .agent('researcher', { description: 'Finds facts.' })
    .agent('writer', { description: 'Answers.' })
    .terminateWhen(maxMessages(3))
    .build();
}

export function waitingTeam(name: string, setting?: TeamSpec['context']): TeamSpec {
  const built = team(name).roundRobin().model({ model: 'scripted' });
  if (setting) built.context(setting);
  return built
    .agent('writer', { description: 'Answers.' })
    .human('editor', { description: 'Reads the answer.' })
    .terminateWhen(maxMessages(4))
    .build();
}

/** Every reply names its agent and how many of its own replies the agent saw before it. */
export const SESSION_SCRIPT = {
  agents: {
    researcher: ['fact 1', 'fact 2', 'fact 3', 'fact 4', 'fact 5'],
    writer: ['answer 1', 'answer 2', 'answer 3', 'answer 4', 'answer 5'],
  },
};

/** The texts of a model request's messages, the system prompt left out. */
export function textsOf(request: ServedRequest | undefined): string[] {
  if (!request) throw new Error('no such model request');
  return (request.messages as { role: string; content: unknown }[])
    .filter((m) => m.role !== 'system')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
}

/** The newest request an agent made for a run. */
export function lastRequest(requests: readonly ServedRequest[], runId: string, agent: string): ServedRequest | undefined {
  return requests.filter((r) => r.runId === runId && r.agent === agent).at(-1);
}
