import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Client as TemporalClient } from '@temporalio/client';
import type { TeamClient } from '../src/client/team-client';
import { maxMessages, team, type LlmAgentSpec } from '../src/spec';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { fmt, median, percentile, timeEach, timeInterleaved } from './stats';

const RUNS = Number(process.env.BENCH_MCP_RUNS ?? 20);
/** Tool-call rounds in the agent's one turn, each one call, before it answers. */
const ROUNDS = 5;
/** server-everything from npm, over stdio: its `echo` tool does nothing but answer. */
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

/**
 * What a durable MCP call costs: one `tools/call` of server-everything's `echo` over stdio from
 * the SDK's own client (the floor: the call itself), against a durable turn's round that calls it
 * as the model asked (model activity + tool activity, the tool list pinned beside the run), and
 * the same round with a function tool (the target: an MCP call should cost what a function tool's
 * activity costs). Rounds are interleaved, in one run of the worker. Besides the rounds as a
 * client waits for them, the tool activities themselves, as the runs' histories time them
 * (scheduled to completed): the figure the target is about, without the noise of the turns.
 */
export async function benchMcpCalls(client: TeamClient, log: (line: string) => void): Promise<string> {
  const calls = Array.from({ length: ROUNDS }, (_, i) => ({
    toolCalls: [{ name: 'echo', arguments: { message: `round ${i + 1}`, text: `round ${i + 1}` } }],
  }));
  const model = await startScriptedModelServer({ script: { agents: { caller: [...calls, 'done'] } } });
  const spec = (tools: Pick<LlmAgentSpec, 'mcp' | 'tools'>) =>
    team('bench-mcp')
      .roundRobin()
      .model({ model: 'scripted', baseUrl: model.baseUrl })
      .agent('caller', { description: 'Calls a tool, again and again.', maxToolIterations: ROUNDS + 1, ...tools })
      .terminateWhen(maxMessages(2))
      .build();
  const viaMcp = spec({ mcp: [{ name: 'ev', command: process.execPath, args: [EVERYTHING, 'stdio'], include: ['echo'] }] });
  const viaFunction = spec({ tools: ['echo'] });
  const sdk = new Client({ name: 'bench', version: '1' }, { capabilities: {} });
  await sdk.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'ignore' }));
  try {
    const floor = await timeEach(RUNS * ROUNDS, (i) => sdk.callTool({ name: 'echo', arguments: { message: `call ${i}` } }));
    const runs = { mcp: [] as string[], fn: [] as string[] };
    const durable = async (team: typeof viaMcp, into: string[]) => {
      const runId = await client.start(team, 'Go.');
      into.push(runId);
      return client.result(runId);
    };
    await timeInterleaved(2, [() => durable(viaMcp, []), () => durable(viaFunction, [])]);
    const [mcp, fn] = (await timeInterleaved(RUNS, [() => durable(viaMcp, runs.mcp), () => durable(viaFunction, runs.fn)])).map((times) =>
      times.map((t) => t / ROUNDS),
    ) as [number[], number[]];
    const extra = mcp.map((t) => t - median(fn));
    const [mcpActivity, fnActivity] = [await toolActivityTimes(client.client, runs.mcp), await toolActivityTimes(client.client, runs.fn)];
    log(`MCP calls: server-everything's echo over stdio; durable turns of ${ROUNDS} rounds, ${RUNS} runs each`);
    log(`  the SDK's own client, one call:      p50 ${fmt(median(floor))}  p99 ${fmt(percentile(floor, 99))}`);
    log(`  durable round, MCP tool:             p50 ${fmt(median(mcp))}  p99 ${fmt(percentile(mcp, 99))}`);
    log(`  durable round, function tool:        p50 ${fmt(median(fn))}  p99 ${fmt(percentile(fn, 99))}`);
    log(
      `  MCP round over function round:       p50 ${fmt(median(extra))}  p99 ${fmt(percentile(extra, 99))} (the call itself: ${fmt(median(floor))})`,
    );
    log(`  tool activity (history), MCP:        p50 ${fmt(median(mcpActivity))}  p99 ${fmt(percentile(mcpActivity, 99))}`);
    log(`  tool activity (history), function:   p50 ${fmt(median(fnActivity))}  p99 ${fmt(percentile(fnActivity, 99))}`);
    return `mcp_call_sdk_p50_ms=${median(floor).toFixed(1)} mcp_round_p50_ms=${median(mcp).toFixed(1)} function_round_p50_ms=${median(fn).toFixed(1)} mcp_over_function_p50_ms=${median(extra).toFixed(1)} mcp_over_function_p99_ms=${percentile(extra, 99).toFixed(1)} mcp_activity_p50_ms=${median(mcpActivity).toFixed(1)} function_activity_p50_ms=${median(fnActivity).toFixed(1)}`;
  } finally {
    await sdk.close();
    await model.close();
  }
}

/** How long each tool activity of these runs took, scheduled to completed, as their histories say. */
async function toolActivityTimes(temporal: TemporalClient, runIds: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const runId of runIds) {
    const events = (await temporal.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const at = (e: (typeof events)[number]) => Number(e.eventTime!.seconds) * 1_000 + (e.eventTime!.nanos ?? 0) / 1e6;
    const scheduled = new Map<string, (typeof events)[number]>();
    for (const e of events) {
      if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'callTool') scheduled.set(String(e.eventId), e);
      const from = scheduled.get(String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? ''));
      if (from) times.push(at(e) - at(from));
    }
  }
  return times;
}
