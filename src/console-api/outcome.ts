import { isTerminal } from '../core/status';
import type { TeamClient } from '../client/team-client';
import type { RunRow } from './run-rows';

type Outcome = Pick<RunRow, 'turns' | 'stopReason'>;

/** Ended runs' outcomes never change: kept here, the runs list (refreshed every 5 s by each open page) asks Temporal once per run. */
const ENDED = new Map<string, Outcome>();
const MAX_KEPT = 10_000;

/**
 * Turns and stop reason for the rows of one page. Visibility's memo holds neither, so each row's
 * run is asked (an ended run answers from its result, a live one by query); a run that cannot
 * answer now (no worker) shows none rather than holding the page up.
 */
export async function withOutcome(client: TeamClient, rows: RunRow[]): Promise<RunRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      const key = `${client.namespace}/${row.runId}`;
      const kept = ENDED.get(key);
      if (kept) return { ...row, ...kept };
      const state = await client.getState(row.runId).catch(() => null);
      const outcome = { turns: state?.turns ?? null, stopReason: state?.stopReason ?? null };
      if (state && isTerminal(state.status)) {
        // Oldest first out: a Map iterates in insertion order.
        if (ENDED.size >= MAX_KEPT) ENDED.delete(ENDED.keys().next().value!);
        ENDED.set(key, outcome);
      }
      return { ...row, ...outcome };
    }),
  );
}
