import { forkRunState, type ForkStart } from './fork';
import type { PushConfig } from './push';
import { createRunState, type RunState } from './state';
import type { TeamSpec } from '../spec/team';

/** What a run's input says of where it begins (see workflows/definitions.ts, TeamRunInput). */
export interface RunBeginning {
  team: TeamSpec;
  task: string;
  taskRef?: string;
  contextId?: string | null;
  earlier?: number;
  user?: string;
  pushConfigs?: PushConfig[];
  fork?: ForkStart;
  state?: RunState;
}

/**
 * The state a run begins from: the one it carried over, a fork's, or a new run's. The workflow
 * begins from it; the starter publishes its head with the start (see run-head.ts), so readers
 * see the run as `submitted` before any worker has taken it. Pure: both must agree.
 */
export function startingState(
  input: RunBeginning,
  runId: string,
  now: number,
  task = { content: input.task, ref: input.taskRef },
): RunState {
  if (input.state) return input.state;
  const common = { runId, team: input.team, contextId: input.contextId, earlier: input.earlier, user: input.user, now };
  const state = input.fork
    ? forkRunState({ ...common, start: input.fork })
    : createRunState({ ...common, task: task.content, taskRef: task.ref });
  if (input.pushConfigs?.length) state.pushConfigs = input.pushConfigs;
  return state;
}
