import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { missingUserKey } from '../core/memory-request';
import type { TeamSpec } from '../spec/team';
import type { Caller } from '../access/caller';

/** Where an A2A client names the user whose memory a new task's agents use. */
export const MEMORY_USER_FIELD = 'metadata.durableTeams.user';

const MAX_USER_KEY_CHARS = 200;

/**
 * The user key of a new task, from the message's `metadata.durableTeams.user`. With bearer auth
 * it is prefixed with the token's name ("<token>:<user>"), so one caller cannot name, and so
 * read, another caller's users' memory. Refused (invalid params, naming the field) when it is not
 * a short string, or when the team keeps memory per user and none was given.
 */
export function memoryUserOf(metadata: unknown, caller: Pick<Caller, 'name'>, team: TeamSpec): string | undefined {
  const ours = (metadata as { durableTeams?: unknown } | undefined)?.durableTeams;
  const given = (ours as { user?: unknown } | undefined)?.user;
  if (given !== undefined && (typeof given !== 'string' || !given.trim() || given.length > MAX_USER_KEY_CHARS)) {
    throw new RequestMalformedError(`${MEMORY_USER_FIELD} must be a non-empty string of at most ${MAX_USER_KEY_CHARS} characters`);
  }
  const user = typeof given === 'string' ? (caller.name !== null ? `${caller.name}:${given}` : given) : undefined;
  const missing = missingUserKey(team, user);
  if (missing) throw new RequestMalformedError(`${missing}: set ${MEMORY_USER_FIELD} on the message that starts the task`);
  return user;
}
