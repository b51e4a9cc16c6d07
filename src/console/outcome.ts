import type { TeamClient } from '../temporal/team-client';
import type { RunRow } from './run-rows';

/**
 * Turns and stop reason for the rows of one page. Visibility's memo holds neither, so each row's
 * run is asked (an ended run answers from its result, a live one by query); a run that cannot
 * answer now (no worker) shows none rather than holding the page up.
 */
export async function withOutcome(client: TeamClient, rows: RunRow[]): Promise<RunRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      const state = await client.getState(row.runId).catch(() => null);
      return { ...row, turns: state?.turns ?? null, stopReason: state?.stopReason ?? null };
    }),
  );
}
