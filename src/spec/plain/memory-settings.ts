// Like all of spec/plain/, no Zod here: core and the workflows load these at run time.
import type { LlmAgentSpec } from '../agent';
import type { MemoryScope, MemorySpec } from '../memory';
import type { TeamSpec } from '../team';

export const DEFAULT_MEMORY_SCOPE: MemoryScope = 'team';
export const DEFAULT_MEMORY_TOP = 5;

/** The memory an LLM agent has: its own, else the team's; none when neither sets one. */
export function memoryOf(team: Pick<TeamSpec, 'memory'>, agent: LlmAgentSpec): MemorySpec | undefined {
  return agent.memory ?? team.memory;
}

/** Whether the agent is offered the built-in `remember` and `recall` tools. */
export function hasMemoryTools(memory: MemorySpec | undefined): boolean {
  return memory !== undefined && memory.tools !== false;
}
