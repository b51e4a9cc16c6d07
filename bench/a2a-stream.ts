import { pingPongTeam } from './ping-pong';
import { sendParams } from './a2a-message';
import { ClientFactory } from '@a2a-js/sdk/client';
import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import { startA2AServer } from '../src/server/server';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import type { TeamClient } from '../src/client/team-client';
import { fmt, median, percentile } from './stats';

const RUNS = Number(process.env.BENCH_A2A_RUNS ?? 20);
const TURNS = 6;
/** A model that takes a moment, as real ones do, so the stream's pollers wait as they would. */
const MODEL_LATENCY_MS = 200;

/**
 * How quickly the A2A front end shows what the workflow does: SendMessage to the first `working`
 * event on the stream, and each turn's message from the moment the workflow recorded it (its
 * timestamp is workflow time) to its arrival at the SDK client. Runs one after another.
 */
export async function benchA2AStream(client: TeamClient, log: (line: string) => void): Promise<string> {
  const model = await startScriptedModelServer({
    script: {
      agents: { ping: { replies: ['ping'], latencyMs: MODEL_LATENCY_MS }, pong: { replies: ['pong'], latencyMs: MODEL_LATENCY_MS } },
    },
  });
  const spec = pingPongTeam('bench-a2a', TURNS, model.baseUrl);
  const server = await startA2AServer({ teams: [spec], client, port: 0, version: 'bench', tokens: null, secrets: null });
  try {
    const a2a = await new ClientFactory().createFromUrl(server.teamUrls['bench-a2a']!);
    const firstWorking: number[] = [];
    const turnToEvent: number[] = [];
    for (let i = 0; i < RUNS + 2; i += 1) {
      const warmUp = i < 2;
      const sent = performance.now();
      const sentWall = Date.now();
      let sawWorking = false;
      const stream = a2a.sendMessageStream(sendParams('Go.'));
      for await (const event of stream) {
        const arrived = Date.now();
        const update = statusUpdate(event);
        if (!update || update.status?.state !== TaskState.TASK_STATE_WORKING) continue;
        if (!sawWorking) {
          sawWorking = true;
          if (!warmUp) firstWorking.push(performance.now() - sent);
        }
        const at = update.status.timestamp ? Date.parse(update.status.timestamp) : NaN;
        if (update.status.message && !warmUp && at >= sentWall) turnToEvent.push(arrived - at);
      }
    }
    log(`A2A stream, ${RUNS} runs of ${TURNS} turns (model latency ${MODEL_LATENCY_MS} ms), SDK client over JSON-RPC/SSE on 127.0.0.1:`);
    log(
      `  SendMessage -> first working event: p50 ${fmt(median(firstWorking))}  p99 ${fmt(percentile(firstWorking, 99))}  (target p50 <= 100 ms)`,
    );
    log(
      `  turn recorded in the workflow -> event on the stream: p50 ${fmt(median(turnToEvent))}  p99 ${fmt(percentile(turnToEvent, 99))}  (${turnToEvent.length} turns; target p50 <= 250 ms)`,
    );
    return (
      `a2a_first_working_p50_ms=${median(firstWorking).toFixed(1)} a2a_first_working_p99_ms=${percentile(firstWorking, 99).toFixed(1)} ` +
      `a2a_turn_event_p50_ms=${median(turnToEvent).toFixed(1)} a2a_turn_event_p99_ms=${percentile(turnToEvent, 99).toFixed(1)}`
    );
  } finally {
    await server.close();
    await model.close();
  }
}

function statusUpdate(event: StreamResponse) {
  return event.payload?.$case === 'statusUpdate' ? event.payload.value : null;
}
