import { RequestMalformedError } from '@a2a-js/sdk/errors';

/** Where a message asks for a fork: `metadata.durableTeams.forkFrom = { taskId, turn }`. */
export const FORK_FROM_FIELD = 'message.metadata.durableTeams.forkFrom';

/** A fork asked for over A2A: the task to fork, and the turn (as `durable-teams fork --at-turn`). */
export interface ForkRequest {
  taskId: string;
  turn: number;
}

/**
 * The fork a new message asks for, or null when it asks for none. A malformed one is refused
 * naming the field; the task's reach is checked by the handler, as GetTask checks it.
 */
export function forkRequestOf(metadata: unknown): ForkRequest | null {
  const ours = (metadata as { durableTeams?: unknown } | undefined)?.durableTeams;
  const given = (ours as { forkFrom?: unknown } | undefined)?.forkFrom;
  if (given === undefined) return null;
  const { taskId, turn } = (given ?? {}) as { taskId?: unknown; turn?: unknown };
  if (typeof taskId !== 'string' || !taskId)
    throw new RequestMalformedError(`${FORK_FROM_FIELD}.taskId must be the id of a task of this team`);
  if (typeof turn !== 'number' || !Number.isInteger(turn) || turn < 0) {
    throw new RequestMalformedError(`${FORK_FROM_FIELD}.turn must be a whole number of turns, 0 or more`);
  }
  return { taskId, turn };
}
