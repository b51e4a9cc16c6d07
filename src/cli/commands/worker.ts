import { Option, type Command } from 'commander';
import { positiveInt } from '../common';
import { Runtime } from '@temporalio/worker';
import { logFormatFrom } from '../../logging/json-logger';
import { connectWorker } from '../../worker/worker-connection';
import { createTeamWorker } from '../../worker/team-worker';
import {
  cliDataConverter,
  cliMemory,
  cliStore,
  outputFrom,
  settingsFrom,
  withStoreFlag,
  withTemporalFlags,
  type StoreFlags,
  type TemporalFlags,
} from '../common';
import { installRuntimeLogging } from '../../logging/runtime-logging';
import { loadToolsModule } from '../load-tools';
import { packageVersion } from '../version';
import { readEnvironment } from '../../config/environment';
import { tracingFromEnv } from '../tracing-from-env';
import { withDeploymentFlags, workerDeploymentFrom, type DeploymentFlags } from '../deployment-flags';
import { announceBuild } from '../announce-build';

interface WorkerFlags extends TemporalFlags, StoreFlags, DeploymentFlags {
  modelBaseUrl?: string;
  apiKeyEnv?: string;
  tools?: string;
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  maxConcurrentActivities?: number;
}

export function registerWorker(program: Command): void {
  const command = program
    .command('worker')
    .description('run a worker: it executes team runs (model calls as activities) until SIGINT/SIGTERM')
    .option('--model-base-url <url>', 'endpoint for agents that name none (default: OPENAI_BASE_URL, else OpenAI)')
    .option('--api-key-env <name>', 'environment variable with the key for agents that name none (default OPENAI_API_KEY)')
    .option(
      '--tools <module>',
      'JavaScript module exporting `tools` (function tools the agents may call), and `selectors` / `candidateFilters` if the teams name any',
    )
    .option(
      '--max-concurrent-activities <n>',
      "model, tool and remote calls run at once (default: the Temporal SDK's, 100); they mostly wait, so a worker can hold hundreds",
      positiveInt('--max-concurrent-activities'),
    )
    .addOption(
      new Option(
        '--log-level <level>',
        "worker log level (default: WARN; INFO with DURABLE_TEAMS_LOG_FORMAT=json, which logs each run's turns)",
      )
        .choices(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'])
        .env('DURABLE_TEAMS_LOG_LEVEL'),
    );
  withDeploymentFlags(withStoreFlag(withTemporalFlags(command))).action(async (flags: WorkerFlags) => {
    const out = outputFrom({});
    const settings = settingsFrom(flags);
    const { tools, speakerFunctions } = flags.tools ? loadToolsModule(flags.tools) : { tools: [], speakerFunctions: {} };
    const deployment = workerDeploymentFrom(flags);
    const dataConverter = cliDataConverter();
    // Opened before anything else: a bad or unreachable store stops the worker now, not at its first turn.
    const store = await cliStore(flags, dataConverter);
    const memory = cliMemory(flags, dataConverter);
    const format = logFormatFrom();
    const metricsAddress = readEnvironment().DURABLE_TEAMS_METRICS_ADDRESS;
    installRuntimeLogging(flags.logLevel ?? (format === 'json' ? 'INFO' : 'WARN'), format, metricsAddress);
    // With JSON logs, what the worker says of itself is a log line like any other.
    const note =
      format === 'json'
        ? (message: string) => Runtime.instance().logger.info(message, { taskQueue: settings.taskQueue })
        : (message: string) => out.note(message);
    try {
      // Tracing (off unless OTEL_* variables ask for it): workflow, activity, model and A2A spans.
      const tracing = tracingFromEnv('durable-teams-worker', packageVersion());
      const connection = await connectWorker(settings.address, settings.security);
      try {
        const worker = await createTeamWorker({
          connection,
          namespace: settings.namespace,
          taskQueue: settings.taskQueue,
          model: { baseUrl: flags.modelBaseUrl, apiKeyEnv: flags.apiKeyEnv },
          tools,
          speakerFunctions,
          dataConverter,
          store,
          memory,
          ...(flags.maxConcurrentActivities ? { maxConcurrentActivities: flags.maxConcurrentActivities } : {}),
          ...(tracing ? { plugins: [tracing.workerPlugin] } : {}),
          ...(deployment ? { deployment } : {}),
        });
        const running = worker.run();
        if (deployment) await announceBuild(connection, settings.namespace, deployment, note);
        note(
          `worker ready${tools.length ? ` with tools ${tools.map((t) => t.name).join(', ')}` : ''}: task queue ${settings.taskQueue} on ${settings.address} (namespace ${settings.namespace}); conversations in ${store.location}${dataConverter ? '; payloads encrypted' : ''}${tracing ? '; tracing on' : ''}${metricsAddress ? `; metrics at http://${metricsAddress}/metrics` : ''}${deployment ? `; deployment ${deployment.name}, build ${deployment.buildId}` : ''}; Ctrl-C stops it`,
        );
        // Resolves after a graceful shutdown, which the runtime starts on SIGINT or SIGTERM.
        await running;
      } finally {
        await connection.close();
        await tracing?.shutdown();
      }
    } finally {
      await store.close().catch(() => undefined);
      await memory.close().catch(() => undefined);
    }
    note('worker stopped');
  });
}
