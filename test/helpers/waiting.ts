import { setTimeout as sleep } from 'node:timers/promises';
import type { RunEvent } from '../../src/core/events';
import type { PendingInput } from '../../src/core/human';
import type { TeamClient } from '../../src/client/team-client';

/** Follows a run until `match` holds for an event, and returns that event. */
export async function untilEvent<T extends RunEvent>(client: TeamClient, runId: string, match: (e: RunEvent) => e is T): Promise<T>;
export async function untilEvent(client: TeamClient, runId: string, match: (e: RunEvent) => boolean): Promise<RunEvent>;
export async function untilEvent(client: TeamClient, runId: string, match: (e: RunEvent) => boolean): Promise<RunEvent> {
  for await (const event of client.follow(runId)) if (match(event)) return event;
  throw new Error(`run ${runId} ended before the awaited event`);
}

/** The next question the run asks a person, after event number `after`. */
export async function nextRequest(client: TeamClient, runId: string, after = 0): Promise<PendingInput & { seq: number }> {
  for await (const event of client.follow(runId, { after })) {
    if (event.type === 'input_requested') return { ...event.request, seq: event.seq };
    if (event.type === 'run_finished') break;
  }
  throw new Error(`run ${runId} ended without asking anyone`);
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
