import { z } from 'zod';
import { runLocal } from '../src/local/run-local';
import { ModelClients } from '../src/model/chat-client';
import { maxMessages, team } from '../src/spec';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import type { TeamClient } from '../src/client/team-client';
import { defineTool } from '../src/tools';
import { fmt, median, percentile, timeInterleaved } from './stats';

const RUNS = Number(process.env.BENCH_TOOL_RUNS ?? 30);
/** Tool-call rounds in the agent's one turn, each one call, before it answers. */
const ROUNDS = 5;

/** The tool the benchmark's agent calls: it does nothing, so what is measured is the machinery. */
export const benchTools = [
  defineTool({
    name: 'echo',
    description: 'Says back what it was given.',
    input: z.object({ text: z.string() }),
    run: ({ text }) => text,
  }),
];

/**
 * What a durable tool call costs: one agent turn of ROUNDS tool-call rounds (model call, tool
 * call as its own activity, result back to the model) and a final answer, run in-process with
 * runLocal and as a durable workflow, interleaved. The difference per round is the price of
 * making the model call and the tool call each a retried, recorded activity.
 */
export async function benchToolCalls(client: TeamClient, log: (line: string) => void): Promise<string> {
  const calls = Array.from({ length: ROUNDS }, (_, i) => ({ toolCalls: [{ name: 'echo', arguments: { text: `round ${i + 1}` } }] }));
  const model = await startScriptedModelServer({ script: { agents: { caller: [...calls, 'done'] } } });
  const spec = team('bench-tools')
    .roundRobin()
    .model({ model: 'scripted', baseUrl: model.baseUrl })
    .agent('caller', { description: 'Calls a tool, again and again.', tools: ['echo'], maxToolIterations: ROUNDS + 1 })
    .terminateWhen(maxMessages(2))
    .build();
  const clients = new ModelClients();
  const localRun = () => runLocal(spec, 'Go.', { tools: benchTools, clients });
  const durableRun = async () => client.result(await client.start(spec, 'Go.'));
  try {
    await timeInterleaved(3, [localRun, durableRun]);
    const [local, durable] = (await timeInterleaved(RUNS, [localRun, durableRun])).map((times) => times.map((t) => t / ROUNDS)) as [
      number[],
      number[],
    ];
    const localMedian = median(local);
    const overhead = durable.map((t) => t - localMedian);
    log(`tool calls: one turn of ${ROUNDS} rounds (model call + tool call each), ${RUNS} runs`);
    log(`  runLocal      per round: p50 ${fmt(median(local))}  p99 ${fmt(percentile(local, 99))}`);
    log(`  durable run   per round: p50 ${fmt(median(durable))}  p99 ${fmt(percentile(durable, 99))}`);
    log(`  overhead per round (two activities): p50 ${fmt(median(overhead))}  p99 ${fmt(percentile(overhead, 99))}`);
    return `tool_round_p50_ms=${median(durable).toFixed(1)} tool_round_overhead_p50_ms=${median(overhead).toFixed(1)} tool_round_overhead_p99_ms=${percentile(overhead, 99).toFixed(1)}`;
  } finally {
    await model.close();
  }
}
