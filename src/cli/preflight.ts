import { mergeSettings } from '../core/requests';
import { resolveEndpoint, type ModelDefaults } from '../model/endpoint';
import type { TeamSpec } from '../spec/team';

/**
 * Catches a missing API key before a run starts, rather than as a failed turn later. The worker
 * is what reads the key; this assumes it runs with the same environment (skip with --no-key-check).
 */
export function checkModelKeys(team: TeamSpec, defaults: ModelDefaults, env: Record<string, string | undefined>): void {
  const settings = team.agents.map((agent) => ({ who: `agent "${agent.name}"`, settings: mergeSettings(team.model, agent) }));
  if (team.pattern === 'selector') settings.push({ who: 'the selector', settings: mergeSettings(team.model, team.selector ?? {}) });
  for (const { who, settings: s } of settings) resolveEndpoint(s, defaults, env, `team "${team.name}", ${who}`);
}
