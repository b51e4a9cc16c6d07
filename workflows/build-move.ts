import { makeContinueAsNewFunc, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { movesToNewBuilds } from '../src/spec/plain/deploy-moves';
import type { TeamSpec } from '../src/spec/team';
import { buildChangedSignal, type TeamRunInput } from './definitions';

/**
 * Moving a run to the current build of the workers. A run is pinned to the build that started it
 * (Worker Versioning), so no worker ever replays it with code that does not know its history.
 * When another build becomes current, Temporal tells the run in its next workflow task; at a safe
 * point the run continues as new, and the new execution's first task goes to the current build.
 */
export function buildMove(team: TeamSpec) {
  // Histories from before this was written never move: they replay as they ran.
  const on = movesToNewBuilds(team.deploys) && patched('move-to-current-build');
  // A run waiting on a person has no workflow task of its own: this signal makes one.
  setHandler(buildChangedSignal, () => undefined);
  return {
    /** Is the run's build no longer the one new runs go to, and may the run move? */
    wanted: (): boolean => on && workflowInfo().targetWorkerDeploymentVersionChanged === true,
    /**
     * Continues as new: onto the current build when the run moves, else on its own. The new
     * execution starts with the memo as it stands (the read model's head), not the one the run
     * started with, so readers between the two see the run as it is: waiting, not `submitted`.
     */
    continueAsNew(input: TeamRunInput, moving: boolean): Promise<never> {
      const memo = { ...workflowInfo().memo, events: [] };
      return makeContinueAsNewFunc<(input: TeamRunInput) => Promise<unknown>>({
        memo,
        ...(moving ? { initialVersioningBehavior: 'AUTO_UPGRADE' as const } : {}),
      })(input);
    },
  };
}
