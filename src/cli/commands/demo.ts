import { join } from 'node:path';
import type { Command } from 'commander';
import { loadTeamFile } from '../../files/team-file';
import { OPENAI_BASE_URL } from '../../model/endpoint';
import { packageRoot } from '../../paths';
import { isLlm } from '../../spec/agent';
import type { TeamSpec } from '../../spec/team';
import { loadScript, startScriptedModelServer, type ScriptedModelServer } from '../../testing/scripted-model';
import { connectWorker } from '../../worker/worker-connection';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { TeamClient } from '../../client/team-client';
import { createTeamWorker } from '../../worker/team-worker';
import { cliDataConverter, cliMemory, cliStore, outputFrom, withStoreFlag, type StoreFlags } from '../common';
import { followRun } from '../follow-run';
import { CliError } from '../output';
import { installRuntimeLogging } from '../../logging/runtime-logging';

const DEMO_TASK = 'Write a short product note announcing that our team runs now survive worker crashes.';

interface DemoFlags extends StoreFlags {
  team: string;
  script: string;
  task: string;
  model?: string;
  json?: boolean;
}

/** The team with one model for every agent: handy against an endpoint that serves only one. */
function withModel(team: TeamSpec, model: string | undefined): TeamSpec {
  if (!model) return team;
  return {
    ...team,
    model: { ...team.model, model },
    agents: team.agents.map((agent) => (isLlm(agent) ? (({ model: _unused, ...rest }) => rest)(agent) : agent)),
  };
}

export function registerDemo(program: Command): void {
  const root = packageRoot();
  const command = program
    .command('demo')
    .description('run the example team end to end: Temporal dev server, worker, model (scripted unless OPENAI_API_KEY is set)')
    .option('--team <file>', 'team file', join(root, 'examples/teams/review.yaml'))
    .option('--script <file>', 'model script used without OPENAI_API_KEY', join(root, 'examples/scripts/review.yaml'))
    .option('--task <text>', 'the task', DEMO_TASK)
    .option('--model <name>', 'use this model for every agent (with a real endpoint)')
    .option('--json', 'print JSON Lines on stdout instead of text');
  withStoreFlag(command).action(async (flags: DemoFlags) => {
    const out = outputFrom(flags);
    const team = withModel(loadTeamFile(flags.team), flags.model);
    const dataConverter = cliDataConverter();
    const store = await cliStore(flags, dataConverter);
    installRuntimeLogging('WARN');

    let server: DevServer | null = null;
    let model: ScriptedModelServer | null = null;
    const cleanups: (() => Promise<unknown>)[] = [() => store.close()];
    try {
      let address = process.env.TEMPORAL_ADDRESS;
      if (address) {
        out.note(`using the Temporal server at ${address} (TEMPORAL_ADDRESS)`);
      } else {
        out.note('starting a local Temporal dev server...');
        server = await startDevServer({ ui: true });
        cleanups.push(() => server!.stop());
        address = server.address;
        out.note(`Temporal dev server on ${address}; Web UI at ${server.uiUrl}`);
      }

      let baseUrl: string;
      if (process.env.OPENAI_API_KEY) {
        baseUrl = process.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL;
        out.note(`using the model endpoint ${baseUrl} (OPENAI_API_KEY is set)`);
      } else {
        model = await startScriptedModelServer({ script: loadScript(flags.script) });
        cleanups.push(() => model!.close());
        baseUrl = model.baseUrl;
        out.note(`OPENAI_API_KEY is not set, so the agents answer from a script: the scripted model server at ${baseUrl}`);
        out.note(`(script ${flags.script}; set OPENAI_API_KEY, and OPENAI_BASE_URL for another endpoint, to use a real model)`);
      }

      const taskQueue = `durable-teams-demo-${process.pid}`;
      const connection = await connectWorker(address);
      cleanups.push(() => connection.close());
      const worker = await createTeamWorker({
        connection,
        taskQueue,
        model: { baseUrl },
        dataConverter,
        store,
        memory: cliMemory(flags, dataConverter),
      });
      const running = worker.run();
      cleanups.push(async () => {
        worker.shutdown();
        await running;
      });

      const client = await TeamClient.connect({ address, namespace: 'default', taskQueue, dataConverter, store });
      const runId = await client.start(team, flags.task);
      out.note(`started run ${runId}: team ${team.name}, ${team.agents.length} agents, ${team.pattern.replace('_', '-')}`);
      out.line(out.dim(`task: ${flags.task}`));
      const final = await followRun(client, runId, out);
      if (final) {
        const tokens = final.usage.promptTokens + final.usage.completionTokens;
        out.note(`${final.turns} turns, ${tokens} tokens. The README's walkthrough runs the same team with a worker you can kill.`);
        if (final.status !== 'completed') throw new CliError(`run ${runId} ${final.status}`);
      }
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    }
  });
}
