import { isLlm } from './plain/agent-kinds';
import { hasMemoryTools, memoryOf } from './plain/memory-settings';
import { MEMORY_TOOL_NAMES } from './memory';
import type { TeamSpec } from './team';
import { toolEntry } from './plain/tool-entries';

export { hasMemoryTools, memoryOf } from './plain/memory-settings';

/**
 * A tool of the team file named like a built-in memory tool, on an agent that is offered the
 * built-in ones: the model could not tell them apart. Reported at the clashing tool entry.
 */
export function checkMemoryTools(team: TeamSpec, report: (path: (string | number)[], message: string) => void): void {
  team.agents.forEach((agent, i) => {
    if (!isLlm(agent) || !hasMemoryTools(memoryOf(team, agent))) return;
    (agent.tools ?? []).forEach((tool, j) => {
      const entry = toolEntry(tool);
      const name = entry.name;
      if (name !== undefined && (MEMORY_TOOL_NAMES as readonly string[]).includes(name)) {
        report(
          ['agents', i, 'tools', j],
          `tool "${name}" clashes with the built-in memory tool of that name; rename yours, or set memory.tools: false`,
        );
      }
    });
  });
}
