import { randomBytes } from 'node:crypto';
import { quoted } from '../core/display-text';
import { AGENT_NAME_PATTERN } from '../spec/agent';
import { InvalidRequestError } from './errors';

/**
 * What a caller may name a run or a context: the id becomes a workflow id, a search attribute, a
 * store key and path, an HTTP header of every model call and a line of the CLI's output, so it is
 * short printable ASCII with no separators of paths or lines.
 */
export const ID_RULE = 'use 1–128 characters of A–Z a–z 0–9 . _ - :, starting with a letter or digit';

const ID = '[A-Za-z0-9][A-Za-z0-9._:-]{0,127}';
const CHOSEN_ID = new RegExp(`^${ID}$`);
/** A nested team's run is `<outer run>/turn-<n>/<agent>` (see core/request-builders.ts), as deep as teams nest. */
const RUN_ID = new RegExp(`^${ID}(?:/turn-\\d{1,9}/${AGENT_NAME_PATTERN.source.slice(1, -1)})*$`);
const LONGEST_RUN_ID = 4_096;

/**
 * What a client may name a context. A2A clients choose context ids freely (UUIDs mostly; our own
 * remote calls send `<run>/<agent>`), and a context id names no workflow and goes into no header,
 * so the rule is looser than a run id's: visible ASCII, no spaces, not too long.
 */
export const CONTEXT_ID_RULE = 'use 1–256 visible ASCII characters (no spaces or control characters)';

const CONTEXT_ID = /^[\x21-\x7e]{1,256}$/;

/** Why `id` may not name a run, as `<what> "<id>": use …`; null when it may. */
export function idProblem(id: string, what: string): string | null {
  return CHOSEN_ID.test(id) ? null : `${what} ${quoted(id)}: ${ID_RULE}`;
}

/** Why `id` may not name a context, as `<what> "<id>": use …`; null when it may. */
export function contextIdProblem(id: string, what: string): string | null {
  return CONTEXT_ID.test(id) ? null : `${what} ${quoted(id)}: ${CONTEXT_ID_RULE}`;
}

/** Refuses an id the rule does not allow, before anything is written: an InvalidRequestError naming it. */
export function checkId(id: string, what: string): void {
  const problem = idProblem(id, what);
  if (problem) throw new InvalidRequestError(problem);
}

/**
 * Whether some run could have this id: one the rule allows, or a nested run's under one. A lookup
 * of any other id answers "not found" at once, before Temporal or the store is asked.
 */
export function isRunIdShape(id: string): boolean {
  return id.length <= LONGEST_RUN_ID && RUN_ID.test(id);
}

/** A fresh run id: the team's name and 12 random hex digits, readable in lists and logs. */
export function newRunId(teamName: string): string {
  return `${teamName}-${randomBytes(6).toString('hex')}`;
}
