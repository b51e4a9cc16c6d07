import { TaskState } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { sendParams } from './a2a-message';
import type { ReadsRig } from './reads';
import { fmt, median, percentile } from './stats';

/** Runs watched, one after another; BENCH_READS_TURN_RUNS overrides. */
const RUNS = Number(process.env.BENCH_READS_TURN_RUNS ?? 3);

/**
 * The console's watch API (what an open run page reads): for each message recorded after the
 * watch began, its arrival here minus its recorded time (`at`, the workflow's clock: this machine's).
 */
async function watchConsole(url: string, lags: number[]): Promise<void> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`the console's watch answered HTTP ${response.status}`);
  const openedAt = Date.now();
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const arrived = Date.now();
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const item = JSON.parse(line) as { type: string; event?: { type: string; at: number; message?: { index: number } } };
      if (item.type === 'error') throw new Error(`the console's watch failed: ${line}`);
      const event = item.event;
      if (event?.type === 'message' && event.message!.index > 0 && event.at > openedAt) lags.push(arrived - event.at);
    }
  }
}

/**
 * A recorded turn → its status update on an A2A stream (SDK client), and → the console's watch,
 * both watching the same run (one follower). Measured from the message's recorded time, and for
 * the stream also from the moment the model sent its reply (the scripted model's log).
 */
export async function benchTurnLatency({ server, short, model, log }: ReadsRig): Promise<string> {
  const teamUrl = server.teamUrls[short.name]!;
  const a2a = await new ClientFactory().createFromUrl(teamUrl);
  const recordedToStream: number[] = [];
  const replyToStream: number[] = [];
  const recordedToConsole: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    let runId = '';
    let watching: Promise<void> | null = null;
    const seen: number[] = []; // arrival of each message's update, in order
    for await (const event of a2a.sendMessageStream(sendParams('Go.'))) {
      const arrived = Date.now();
      const p = event.payload;
      if (p?.$case === 'task' && !runId) {
        runId = p.value.id;
        watching = watchConsole(`${server.url}/console/api/runs/${encodeURIComponent(runId)}/watch?after=0`, recordedToConsole);
      }
      const update = p?.$case === 'statusUpdate' ? p.value : null;
      if (update?.status?.message && update.status.state === TaskState.TASK_STATE_WORKING && update.status.timestamp) {
        recordedToStream.push(arrived - Date.parse(update.status.timestamp));
        seen.push(arrived);
      }
    }
    await watching;
    // The k-th reply the model sent for this run is the k-th message the stream carried.
    const sent = model.requests.filter((r) => r.runId === runId).map((r) => r.firstPieceAt ?? r.at + r.latencyMs);
    seen.forEach((at, k) => sent[k] !== undefined && replyToStream.push(at - sent[k]!));
  }
  log(`Recorded turns, ${RUNS} runs of ${short.name} watched by an A2A stream and the console's watch at once:`);
  log(
    `  recorded -> stream status update: p50 ${fmt(median(recordedToStream))}  p99 ${fmt(percentile(recordedToStream, 99))}  (${recordedToStream.length} turns)`,
  );
  log(`  model's reply sent -> stream status update: p50 ${fmt(median(replyToStream))}  p99 ${fmt(percentile(replyToStream, 99))}`);
  log(
    `  recorded -> console watch line: p50 ${fmt(median(recordedToConsole))}  p99 ${fmt(percentile(recordedToConsole, 99))}  (${recordedToConsole.length} turns)`,
  );
  return (
    `reads_turn_stream_p50_ms=${median(recordedToStream).toFixed(1)} reads_turn_stream_p99_ms=${percentile(recordedToStream, 99).toFixed(1)} ` +
    `reads_turn_console_p50_ms=${median(recordedToConsole).toFixed(1)} reads_turn_console_p99_ms=${percentile(recordedToConsole, 99).toFixed(1)}`
  );
}
