/**
 * A run whose workflow task keeps failing: Temporal retries it forever and the run never closes,
 * so its own status (from its memo or its events) says `working` while nothing happens. Plain
 * JSON, so the CLI's --json, A2A metadata and tests can carry it as is.
 */
export interface RunStall {
  /** The attempt number of the workflow task Temporal is retrying (it has failed attempts - 1 times). */
  attempts: number;
  /** When the first failure of this streak happened (ISO 8601), when history says so. */
  since: string | null;
  /** `WORKFLOW_TASK_FAILED_CAUSE_...` from the failure event, or `WORKFLOW_TASK_TIMED_OUT`. */
  cause: string;
  /** The failure's message, trimmed; the stack trace stays in the run's history. */
  message: string;
}

/** Longest failure message kept: enough for a non-determinism report's gist, short enough for a status line. */
export const MAX_STALL_MESSAGE_CHARS = 500;

/** Keeps a failure message readable in a status line: whitespace folded, long text cut with an ellipsis. */
export function trimStallMessage(message: string, max = MAX_STALL_MESSAGE_CHARS): string {
  const folded = message.replace(/\s+/g, ' ').trim();
  return folded.length <= max ? folded : `${folded.slice(0, max - 1)}…`;
}

/** What to do about each kind of failure; the fallback fits a bug in workflow code. */
const HINTS: Record<string, string> = {
  WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR:
    "the workers' workflow code no longer replays this run (a change without patched()); deploy the previous version or patch the change",
  WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES:
    'the state carried to continue-as-new is too large for Temporal; it needs a fix in the workflow',
  WORKFLOW_TASK_TIMED_OUT: 'workers take too long on the workflow task (or die on it); check their logs',
};
const DEFAULT_HINT = 'fix the cause and deploy the workers: the run retries by itself and goes on where it stopped';

/** "workflow worker unhandled failure" from WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE. */
function causeWords(cause: string): string {
  return cause
    .replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
}

/** One line for people: how long, how often, why, and what to do. */
export function stallReason(stall: RunStall): string {
  const failures = Math.max(1, stall.attempts - 1);
  const since = stall.since ? ` since ${stall.since}` : '';
  const hint = HINTS[stall.cause] ?? DEFAULT_HINT;
  return `stalled: its workflow task failed ${failures} time${failures === 1 ? '' : 's'}${since} (${causeWords(stall.cause)}): ${stall.message}; ${hint}`;
}
