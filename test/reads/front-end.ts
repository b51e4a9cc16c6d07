import { startA2AServer, type A2AServer, type A2AServerOptions } from '../../src/server/server';
import { secretBox } from '../../src/secrets/sealed';
import type { TeamSpec } from '../../src/spec/team';
import { testTemporalAddress } from '../../src/testing/temporal-env';
import { TeamClient } from '../../src/client/team-client';
import { SECRETS_KEY } from '../a2a/a2a-env';

/**
 * An A2A front end with a Temporal client of its own, as `durable-teams serve` has: it lives on
 * when the workers stop (a worker's own client closes with it), it may serve a task queue no
 * worker polls, and it notes every workflow query it sends, which tells a read that waited on
 * the workflow from one that did not.
 */
export interface FrontEnd {
  client: TeamClient;
  server: A2AServer;
  /** The workflow queries this front end has sent, by task id (= workflow id). */
  queriesOf(taskId: string): string[];
  close(): Promise<void>;
}

export async function startFrontEnd(teams: TeamSpec[], taskQueue: string, options: Partial<A2AServerOptions> = {}): Promise<FrontEnd> {
  const queries: { workflowId: string; queryType: string }[] = [];
  const client = await TeamClient.connect({
    address: testTemporalAddress(),
    namespace: 'default',
    taskQueue,
    interceptors: {
      workflow: [
        {
          query(input, next) {
            queries.push({ workflowId: input.workflowExecution.workflowId, queryType: input.queryType });
            return next(input);
          },
        },
      ],
    },
  });
  const server = await startA2AServer({
    teams,
    client,
    port: 0,
    version: '0.0.0-test',
    tokens: null,
    secrets: secretBox(SECRETS_KEY),
    ...options,
  });
  return {
    client,
    server,
    queriesOf: (taskId) => queries.filter((q) => q.workflowId === taskId).map((q) => q.queryType),
    async close() {
      await server.close();
      await client.close();
    },
  };
}
