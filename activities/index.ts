import { createModelActivities, type ModelActivityDeps } from './model-activities';
import { createPushActivities } from './push';
import { createRemoteActivities } from './remote';
import { createWebhookActivities } from './webhook';

export type TeamActivityDeps = ModelActivityDeps;

/** Every activity the teamRun workflow calls, built from the worker's dependencies. */
export function createTeamActivities(deps: TeamActivityDeps = {}) {
  return { ...createModelActivities(deps), ...createWebhookActivities(deps.env), ...createPushActivities(deps.env), ...createRemoteActivities(deps.env) };
}

export type TeamActivities = ReturnType<typeof createTeamActivities>;
