import { z } from 'zod';

export { movesToNewBuilds } from './plain/deploy-moves';

/**
 * What a run does when a new build of the workers becomes current while it runs (Worker
 * Versioning: each run is pinned to the build that started it).
 *
 * - `at-safe-points` (the default): it moves to the current build at its next safe point, a turn
 *   boundary or a wait for a person between turns, by continue-as-new: the new execution begins
 *   on the new build with the run's state and no history to replay. Old workers can then be
 *   stopped within minutes of a deploy instead of when the last approval comes in, and a run
 *   waiting a week gets the week's fixes. The cost is one continue-as-new per run and deploy.
 * - `never`: it ends on the build it began on, however long it waits (for teams whose prompts,
 *   tools or code must not change under a run, say for an audit); its build must stay up till then.
 */
export interface DeploysSpec {
  move?: DeployMove;
}

export type DeployMove = 'at-safe-points' | 'never';

export const DeploysSchema = z.strictObject({
  move: z.enum(['at-safe-points', 'never'], { error: 'expected "at-safe-points" or "never"' }).optional(),
});
