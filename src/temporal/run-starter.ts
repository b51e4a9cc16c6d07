import type { ExecutionView } from './run-status';

/**
 * Who started a run, kept in its memo (`startedBy`) by whoever starts it: the A2A caller's token
 * name when the front end checks tokens, else the address the request came from. Visibility
 * returns memos with every listing, so a front end can tell whose tasks are whose (and count a
 * caller's runs in progress) without asking a worker. Runs started by the CLI or by an outer run
 * carry none: they belong to no A2A caller.
 */
export type RunStarter = { token: string } | { address: string };

/** The memo's `startedBy`, if it names a token or an address. */
export function readRunStarter(view: Pick<ExecutionView, 'memo'>): RunStarter | null {
  const value = view.memo?.startedBy as Partial<Record<'token' | 'address', unknown>> | undefined;
  if (typeof value?.token === 'string') return { token: value.token };
  if (typeof value?.address === 'string') return { address: value.address };
  return null;
}

/** The token name that owns a run, or null for a run no authenticated caller started. */
export function ownerOf(view: Pick<ExecutionView, 'memo'>): string | null {
  const starter = readRunStarter(view);
  return starter && 'token' in starter ? starter.token : null;
}
