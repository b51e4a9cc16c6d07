import type { TeamRunOptions } from '../workflows/definitions';
import { maxMessages, team } from '../src/spec';
import type { ModelContextSpec } from '../src/spec/model-context';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import type { TeamClient } from '../src/client/team-client';
import { bytesOf, executionsOf, kb, sumBytes, turnEvents, type HistoryBytes } from './history-bytes';

/** Turns of the 5,000-turn run; smaller for a quick look. About 2-3 minutes on 2 cores. */
const HUGE_TURNS = Number(process.env.BENCH_HUGE_TURNS ?? 5_000);
const AGENTS = ['a', 'b'] as const;

/** Reply `i` of an agent: distinct from every other reply of the run, about `bytes` long. */
function reply(agent: string, i: number, bytes: number): string {
  const head = `${agent} says, for the ${i}th time: `;
  const filler = `${agent}${i} considers point ${i} once more and moves on. `;
  return (head + filler.repeat(Math.ceil(bytes / filler.length))).slice(0, bytes);
}

/** What message `index` (1 = the first reply) says in a round robin of AGENTS. */
const expected = (index: number, bytes: number) =>
  reply(AGENTS[(index - 1) % AGENTS.length]!, Math.floor((index - 1) / AGENTS.length), bytes);

interface LongRun {
  runId: string;
  seconds: number;
  ok: boolean;
  problems: string[];
  messageBytes: number;
}

/**
 * One round-robin run of `turns` turns of `bytes`-byte replies from a scripted model, read back
 * through the store and checked: every message there, in order, saying what it was scripted to
 * (unless `context` limits what the model sees, which makes the scripted replies repeat).
 */
async function longRun(
  client: TeamClient,
  turns: number,
  bytes: number,
  options: TeamRunOptions = {},
  context?: ModelContextSpec,
): Promise<LongRun> {
  const perAgent = Math.ceil(turns / AGENTS.length);
  const agents = Object.fromEntries(AGENTS.map((a) => [a, Array.from({ length: perAgent }, (_, i) => reply(a, i, bytes))]));
  const model = await startScriptedModelServer({ script: { agents } });
  // The model server logs every request with its messages; with long contexts that is hundreds of MB.
  const forget = setInterval(() => model.reset(), 500);
  try {
    let spec = team(`long-${turns}x${bytes}`).roundRobin().model({ model: 'scripted', baseUrl: model.baseUrl });
    for (const a of AGENTS) spec = spec.agent(a, { description: `Agent ${a}.`, ...(context ? { context } : {}) });
    const started = performance.now();
    const runId = await client.start(spec.terminateWhen(maxMessages(turns + 1)).build(), 'Talk at length.', { options });
    const { messages } = await client.result(runId);
    const seconds = (performance.now() - started) / 1000;
    const problems: string[] = [];
    if (messages.length !== turns + 1) problems.push(`${messages.length} messages, expected ${turns + 1}`);
    const misplaced = messages.findIndex((m, i) => m.index !== i);
    if (misplaced >= 0) problems.push(`message at position ${misplaced} has index ${messages[misplaced]!.index}`);
    if (!context) {
      const wrong = messages.findIndex((m, i) => i > 0 && m.content !== expected(i, bytes));
      if (wrong >= 0) problems.push(`message ${wrong} does not say what was scripted for it`);
    }
    const messageBytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.content), 0);
    return { runId, seconds, ok: problems.length === 0, problems, messageBytes };
  } finally {
    clearInterval(forget);
    await model.close();
  }
}

const verdict = (run: LongRun) => (run.ok ? 'OK' : `FAIL (${run.problems.join('; ')})`);
const ratio = (bytes: HistoryBytes, text: number) => ({ payload: bytes.payload / text, serialized: bytes.serialized / text });

/**
 * Long conversations: history grows with the conversation, not its square; long runs and very
 * long ones complete with every message kept. It prints figures and OK/FAIL; it never throws on them.
 */
export async function benchLongConversations(client: TeamClient, log: (line: string) => void): Promise<string> {
  const fields: string[] = [];
  const section = async (name: string, body: () => Promise<void>) => {
    const started = performance.now();
    try {
      await body();
    } catch (err) {
      log(`  ${name}: FAIL (${(err as Error).message})`);
      fields.push(`${name}_ok=0`);
    }
    log(`  (${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };
  log('long conversations: 2-agent round robin, scripted replies');

  await section('history', async () => {
    // One execution (no continue-as-new: 200 turns stay under Temporal's suggestion) for the
    // growth per turn, and the same run continued as new every 50 turns, to see that
    // continue-as-new carries no text again.
    const single = await longRun(client, 200, 2048, { continueAsNewAfterTurns: 100_000 });
    const chained = await longRun(client, 200, 2048, { continueAsNewAfterTurns: 50 });
    for (const [name, run] of [
      ['one execution', single],
      ['continued every 50 turns', chained],
    ] as const) {
      const executions = await executionsOf(client.client, run.runId);
      const bytes = sumBytes(executions.map((e) => bytesOf(e.events)));
      const r = ratio(bytes, run.messageBytes);
      log(
        `  200 turns of 2 KiB, ${name}: ${executions.length} execution(s), text ${kb(run.messageBytes)}, history payloads ${kb(bytes.payload)} ` +
          `(${r.payload.toFixed(2)}x text), serialized events ${kb(bytes.serialized)} (${r.serialized.toFixed(2)}x)  (target payloads <= 2x; was ~129x)  ${verdict(run)}`,
      );
      fields.push(`${name === 'one execution' ? 'history_text_ratio' : 'history_text_ratio_can50'}=${r.payload.toFixed(2)}`);
      // What each continue-as-new carries (state as records, the newest events, the team spec): a fixed cost per execution.
      const carried = executions.flatMap((e) => e.events.filter((event) => event.workflowExecutionContinuedAsNewEventAttributes));
      if (carried.length > 0)
        log(`    each continue-as-new input: ${kb(bytesOf(carried).payload / carried.length)} of payloads (mean of ${carried.length})`);
    }
    const [only] = await executionsOf(client.client, single.runId);
    const at10 = turnEvents(only!.events, 10);
    const at190 = turnEvents(only!.events, 190);
    if (!at10 || !at190) throw new Error('the one-execution run has no turn 11 or 191 in its first execution');
    const [b10, b190] = [bytesOf(at10), bytesOf(at190)];
    const growth = b190.payload / b10.payload - 1;
    log(
      `  history added by turn 10: payloads ${b10.payload} B, serialized ${b10.serialized} B (${at10.length} events); ` +
        `by turn 190: payloads ${b190.payload} B, serialized ${b190.serialized} B (${at190.length} events); ` +
        `turn 190 vs 10: ${(growth * 100).toFixed(1)}% payloads, ${((b190.serialized / b10.serialized - 1) * 100).toFixed(1)}% serialized  (target within 20%)`,
    );
    fields.push(`turn10_history_b=${b10.payload} turn190_history_b=${b190.payload}`);
  });

  await section('long_runs', async () => {
    for (const [turns, bytes] of [
      [600, 2048],
      [150, 20_480],
    ] as const) {
      const run = await longRun(client, turns, bytes);
      const executions = (await executionsOf(client.client, run.runId)).length;
      log(
        `  ${turns} turns of ${bytes / 1024} KiB: ${run.seconds.toFixed(1)} s, ${executions} execution(s), every message in order: ${verdict(run)}`,
      );
      fields.push(`long_${turns}x${bytes / 1024}k_s=${run.seconds.toFixed(1)} long_${turns}x${bytes / 1024}k_ok=${run.ok ? 1 : 0}`);
    }
  });

  await section('huge_run', async () => {
    // The model sees the newest 4 messages: an unbounded context would send the model (and log
    // in the model server) a conversation that grows every turn, which is not what is measured.
    // Its replies then repeat, so only the count and the order are checked.
    const run = await longRun(client, HUGE_TURNS, 64, {}, { type: 'buffered', size: 4 });
    const executions = (await executionsOf(client.client, run.runId)).length;
    log(
      `  ${HUGE_TURNS} turns of 64 B (Temporal suggesting continue-as-new): ${run.seconds.toFixed(1)} s, ${executions} executions, ` +
        `${HUGE_TURNS + 1} messages in order: ${verdict(run)}`,
    );
    fields.push(`huge_turns=${HUGE_TURNS} huge_s=${run.seconds.toFixed(1)} huge_executions=${executions} huge_ok=${run.ok ? 1 : 0}`);
  });
  return fields.join(' ');
}
