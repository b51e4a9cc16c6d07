import { mergeSettings } from '../core/request-builders';
import { displayUrl } from '../http/display-url';
import { DEFAULT_API_KEY_ENV, isLoopbackUrl } from '../model/endpoint';
import { isLlm } from '../spec/agent';
import type { ModelSettings } from '../spec/model-settings';
import type { TeamSpec } from '../spec/team';
import { CliError } from './output';

/**
 * Catches a missing API key before a run starts rather than as a failed turn later, for the
 * endpoints the team file names itself. The worker is what reads the key, so this assumes it
 * runs with this environment (skip with --no-key-check). Agents that name no endpoint use the
 * worker's default, which only the worker knows: it fails their first turn with a clear error.
 */
export function checkModelKeys(team: TeamSpec, env: Record<string, string | undefined>): void {
  const callers: { who: string; settings: ModelSettings }[] = team.agents.filter(isLlm).map((agent) => ({
    who: `agent "${agent.name}"`,
    settings: mergeSettings(team.model, agent),
  }));
  if (team.pattern === 'selector') callers.push({ who: 'the selector', settings: mergeSettings(team.model, team.selector ?? {}) });
  for (const { who, settings } of callers) {
    if (!settings.baseUrl || isLoopbackUrl(settings.baseUrl)) continue;
    const keyEnv = settings.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
    if (!env[keyEnv]) {
      throw new CliError(
        `team "${team.name}", ${who} calls ${displayUrl(settings.baseUrl)}, which needs a key, but ${keyEnv} is not set here; ` +
          `set it (the worker needs it too), or pass --no-key-check if only the worker has it`,
      );
    }
  }
}
