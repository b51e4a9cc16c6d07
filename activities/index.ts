import { createModelActivities, type ModelActivityDeps } from './model-activities';

export type TeamActivityDeps = ModelActivityDeps;

/** Every activity the teamRun workflow calls, built from the worker's dependencies. */
export function createTeamActivities(deps: TeamActivityDeps = {}) {
  return { ...createModelActivities(deps) };
}

export type TeamActivities = ReturnType<typeof createTeamActivities>;
