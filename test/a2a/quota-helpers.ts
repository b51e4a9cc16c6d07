import { setTimeout as sleep } from 'node:timers/promises';
import { ClientFactory, JsonRpcTransportFactory, RestTransportFactory, type Client } from '@a2a-js/sdk/client';
import type { TeamClient } from '../../src/client/team-client';

/** What the quota tests share: clients that carry a token, and visibility as it is now. */

import { withBearer } from './callers';

/** The SDK's client over JSON-RPC (or REST), sending `token`. */
export const clientWith = (base: string, token: string, transport: 'jsonrpc' | 'rest' = 'jsonrpc'): Promise<Client> =>
  new ClientFactory({
    transports: [
      transport === 'rest'
        ? new RestTransportFactory({ fetchImpl: withBearer(token) })
        : new JsonRpcTransportFactory({ fetchImpl: withBearer(token) }),
    ],
  }).createFromUrl(base);

/** Every run on the task queue, whatever its state, as visibility lists them now. */
export async function runsOnQueue(client: TeamClient): Promise<{ id: string; running: boolean }[]> {
  const runs: { id: string; running: boolean }[] = [];
  for await (const run of client.client.workflow.list({ query: `TaskQueue = "${client.taskQueue}"` }))
    runs.push({ id: run.workflowId, running: run.status.name === 'RUNNING' });
  return runs;
}

/** Polls visibility until `check` holds (or fails after a generous minute, which would be a bug, not slowness). */
export async function untilVisible(client: TeamClient, check: (runs: { id: string; running: boolean }[]) => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check(await runsOnQueue(client))) return;
    await sleep(100);
  }
  throw new Error('visibility never showed what was awaited');
}
