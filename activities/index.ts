import { createModelActivities, type ModelActivityDeps } from './model-activities';
import { createPushActivities } from './push';
import { createRemoteActivities } from './remote';
import { createRemoteToolActivities } from './remote-tools';
import { createSpeakerFunctionActivities } from './speaker-functions';
import { createToolActivities } from './tools';
import type { SpeakerFunctions } from '../src/tools/speaker-functions';
import { createWebhookActivities } from './webhook';
import { ToolRegistry } from '../src/tools/registry';
import type { ToolDefinition } from '../src/tools/define-tool';

export interface TeamActivityDeps extends ModelActivityDeps {
  /** Function tools the team's agents may call. */
  tools?: readonly ToolDefinition[];
  /** Selector functions and candidate filters the teams name. */
  speakerFunctions?: SpeakerFunctions;
}

/** Every activity the teamRun workflow calls, built from the worker's dependencies. */
export function createTeamActivities(deps: TeamActivityDeps = {}) {
  const registry = new ToolRegistry(deps.tools);
  const remote = createRemoteActivities(deps.env);
  return {
    ...createModelActivities(registry, deps),
    ...createToolActivities(registry),
    ...createSpeakerFunctionActivities(deps.speakerFunctions ?? {}),
    ...createWebhookActivities(deps.env),
    ...createPushActivities(deps.env),
    ...remote,
    ...createRemoteToolActivities(remote),
  };
}

export type TeamActivities = ReturnType<typeof createTeamActivities>;
