import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadTeamFile } from '../../files/team-file';
import { OPENAI_BASE_URL } from '../../model/endpoint';
import { packageRoot } from '../../paths';
import { SECRETS_KEY_ENV } from '../../secrets/sealed';
import { loadScript, startScriptedModelServer } from '../../testing/scripted-model';
import { connectWorker } from '../../worker/worker-connection';
import { startDevServer } from '../../temporal/dev-server';
import { TeamClient } from '../../client/team-client';
import { createTeamWorker } from '../../worker/team-worker';
import { withA2AFlags, type A2AFlags } from '../a2a-flags';
import { cliDataConverter, cliMemory, cliStore, outputFrom, withStoreFlag, type StoreFlags } from '../common';
import { installRuntimeLogging } from '../../logging/runtime-logging';
import { untilInterrupted } from '../wait-for-signal';
import { serveTeams } from './serve';

/** review.yaml before review-approval.yaml: the plainest team gets the root card. */
const stem = (file: string) => file.replace(/\.ya?ml$/, '');

interface DevFlags extends A2AFlags, StoreFlags {
  script: string;
  taskQueue: string;
  db?: string;
}

/**
 * Everything on one machine for trying the A2A front end: a Temporal dev server (or the one at
 * TEMPORAL_ADDRESS), the scripted model (unless OPENAI_API_KEY is set), a worker and the front end.
 */
export function registerDev(program: Command): void {
  const root = packageRoot();
  const examples = join(root, 'examples/teams');
  const command = program
    .command('dev')
    .description('run a dev server, a worker and the A2A front end together, serving the example teams or the given ones')
    .argument('[team-files...]', 'team files to serve (default: every team in examples/teams)')
    .option('--script <file>', 'model script used without OPENAI_API_KEY', join(root, 'examples/scripts/review.yaml'))
    .option('--task-queue <name>', 'task queue', 'durable-teams-dev')
    .option('--db <file>', 'SQLite file for the dev server (default: in memory)');
  withA2AFlags(withStoreFlag(command)).action(async (files: string[], flags: DevFlags) => {
    const out = outputFrom({});
    installRuntimeLogging('WARN');
    const paths =
      files.length > 0
        ? files
        : readdirSync(examples)
            .filter((f) => /\.ya?ml$/.test(f))
            .sort((a, b) => stem(a).localeCompare(stem(b)))
            .map((f) => join(examples, f));
    const teams = paths.map((file) => loadTeamFile(file));
    const dataConverter = cliDataConverter();
    const store = await cliStore(flags, dataConverter);
    const cleanups: (() => Promise<unknown>)[] = [() => store.close()];
    try {
      out.note(`conversations in ${store.location}`);
      let address = process.env.TEMPORAL_ADDRESS;
      if (!address) {
        out.note('starting a local Temporal dev server...');
        const server = await startDevServer({ ui: true, dbFile: flags.db ?? null });
        cleanups.push(() => server.stop());
        address = server.address;
        out.note(`Temporal dev server on ${address}; Web UI at ${server.uiUrl}`);
      }
      let baseUrl = process.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL;
      if (!process.env.OPENAI_API_KEY) {
        const model = await startScriptedModelServer({ script: loadScript(flags.script) });
        cleanups.push(() => model.close());
        baseUrl = model.baseUrl;
        out.note(`OPENAI_API_KEY is not set: the agents answer from the scripted model at ${baseUrl}`);
      }
      // Worker and front end share this process, so a key made up now seals and opens push secrets alike.
      process.env[SECRETS_KEY_ENV] ??= randomBytes(32).toString('base64url');

      const connection = await connectWorker(address);
      cleanups.push(() => connection.close());
      const worker = await createTeamWorker({
        connection,
        taskQueue: flags.taskQueue,
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
      const client = await TeamClient.connect({ address, namespace: 'default', taskQueue: flags.taskQueue, dataConverter, store });
      cleanups.push(() => client.close());
      const server = await serveTeams(teams, client, flags, out);
      cleanups.push(() => server.close({ graceMs: flags.shutdownGrace * 1000, drainDelayMs: flags.drainDelay * 1000 }));
      out.note('Ctrl-C stops everything');
      await untilInterrupted();
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    }
  });
}
