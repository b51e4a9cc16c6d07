import { ClientFactory } from '@a2a-js/sdk/client';
import { Role, TaskState } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import { startA2AServer } from '../src/server/server';
import { maxMessages, team } from '../src/spec';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import type { TeamClient } from '../src/client/team-client';
import { fmt, median, percentile, timeInterleaved } from './stats';

const RUNS = Number(process.env.BENCH_REMOTE_RUNS ?? 30);

/**
 * What making a remote A2A call durable costs: a team whose one turn is a remote participant's,
 * against the same request sent straight from the SDK's client. The remote is a one-turn team
 * behind our own front end (zero-latency model), so both sides wait for the same remote work;
 * the difference is the caller's workflow, its activity, card fetch, heartbeats and following.
 */
export async function benchRemoteCalls(client: TeamClient, log: (line: string) => void): Promise<string> {
  const model = await startScriptedModelServer({ script: { agents: { echo: ['echoed'] } } });
  const remote = team('bench-remote')
    .roundRobin()
    .model({ model: 'scripted', baseUrl: model.baseUrl })
    .agent('echo', { description: 'Echoes.' })
    .terminateWhen(maxMessages(2))
    .build();
  const server = await startA2AServer({ teams: [remote], client, port: 0, version: 'bench', tokens: null, secrets: null });
  try {
    const card = `${server.teamUrls['bench-remote']}.well-known/agent-card.json`;
    const caller = team('bench-caller')
      .roundRobin()
      .model({ model: 'scripted', baseUrl: model.baseUrl })
      .remote('helper', { description: 'The remote team.', card })
      .terminateWhen(maxMessages(2))
      .build();
    const a2a = await new ClientFactory().createFromUrl(server.teamUrls['bench-remote']!);
    const direct = async () => {
      const message = {
        messageId: randomUUID(),
        contextId: '',
        taskId: '',
        role: Role.ROLE_USER,
        parts: [{ content: { $case: 'text' as const, value: 'Go.' }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      };
      const task = await a2a.sendMessage({
        tenant: '',
        message,
        configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, returnImmediately: false },
        metadata: undefined,
      });
      if (!('status' in task) || task.status?.state !== TaskState.TASK_STATE_COMPLETED) throw new Error('the direct call did not complete');
    };
    const durable = async () => {
      const { snapshot } = await client.result(await client.start(caller, 'Go.'));
      if (snapshot.status !== 'completed') throw new Error(`the durable remote run ended ${snapshot.status}`);
    };
    await timeInterleaved(3, [direct, durable]);
    const [directTimes, durableTimes] = (await timeInterleaved(RUNS, [direct, durable])) as [number[], number[]];
    const overhead = durableTimes.map((t) => t - median(directTimes));
    log(`remote A2A participant: ${RUNS} runs whose one turn is a remote call (the remote: a one-turn team behind our front end)`);
    log(`  SDK client, SendMessage (blocking): p50 ${fmt(median(directTimes))}  p99 ${fmt(percentile(directTimes, 99))}`);
    log(`  durable run, remote turn           : p50 ${fmt(median(durableTimes))}  p99 ${fmt(percentile(durableTimes, 99))}`);
    log(`  overhead of durability              : p50 ${fmt(median(overhead))}  p99 ${fmt(percentile(overhead, 99))}`);
    return `remote_direct_p50_ms=${median(directTimes).toFixed(1)} remote_durable_p50_ms=${median(durableTimes).toFixed(1)} remote_overhead_p50_ms=${median(overhead).toFixed(1)} remote_overhead_p99_ms=${percentile(overhead, 99).toFixed(1)}`;
  } finally {
    await server.close();
    await model.close();
  }
}
