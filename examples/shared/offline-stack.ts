import type { Worker } from '@temporalio/worker';
import { Output } from '../../src/cli/output';
import { OPENAI_BASE_URL } from '../../src/model/endpoint';
import { conversationStoreOn } from '../../src/site/default-store';
import { RamBackend } from '../../src/store/ram-backend';
import { loadScript, startScriptedModelServer } from '../../src/testing/scripted-model';
import { connectWorker } from '../../src/worker/worker-connection';
import { startDevServer } from '../../src/temporal/dev-server';
import { TeamClient } from '../../src/client/team-client';
import { createTeamWorker } from '../../src/worker/team-worker';
import { McpConnections } from '../../src/mcp/mcp-connections';
import type { ToolDefinition } from '../../src/tools/define-tool';
import type { SpeakerFunctions } from '../../src/tools/speaker-functions';
import { installRuntimeLogging } from '../../src/logging/runtime-logging';

/*
 * What every example's script starts, so that it runs with nothing but this package installed:
 * a Temporal dev server (unless TEMPORAL_ADDRESS names one), the scripted model server (unless
 * OPENAI_API_KEY is set: then OPENAI_BASE_URL, or OpenAI), one worker with the example's code,
 * and a client. `durable-teams demo` does the same for teams that need no code of their own.
 */

export interface OfflineStackOptions {
  /** The model script the agents answer from when OPENAI_API_KEY is not set. */
  script: string;
  tools?: readonly ToolDefinition[];
  speakerFunctions?: SpeakerFunctions;
  /** A Temporal server to use. Default: TEMPORAL_ADDRESS, else a dev server started here. */
  address?: string;
  /** A workflow bundle built already (the tests share one); default: bundled at start. */
  workflowBundle?: { code: string };
  /** Where the run is printed. Default: stdout, notes on stderr. */
  out?: Output;
}

/** What an example's run function takes: the tests give their server and bundle; a command gives nothing. */
export type ExampleOptions = Pick<OfflineStackOptions, 'address' | 'workflowBundle' | 'out'>;

export interface OfflineStack {
  client: TeamClient;
  address: string;
  /** Where the agents' model calls go. */
  modelBaseUrl: string;
  out: Output;
  worker: Worker;
  stop(): Promise<void>;
}

export async function startOfflineStack(options: OfflineStackOptions): Promise<OfflineStack> {
  const out = options.out ?? new Output(false);
  installRuntimeLogging('ERROR');
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    let address = options.address ?? process.env.TEMPORAL_ADDRESS;
    if (!address) {
      out.note('starting a local Temporal dev server...');
      const server = await startDevServer({ ui: true });
      cleanups.push(() => server.stop());
      address = server.address;
      out.note(`Temporal dev server on ${address}; Web UI at ${server.uiUrl}`);
    }

    let modelBaseUrl = process.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL;
    if (process.env.OPENAI_API_KEY) {
      out.note(`using the model endpoint ${modelBaseUrl} (OPENAI_API_KEY is set)`);
    } else {
      const model = await startScriptedModelServer({ script: loadScript(options.script) });
      cleanups.push(() => model.close());
      modelBaseUrl = model.baseUrl;
      out.note(`OPENAI_API_KEY is not set: the agents answer from ${options.script}`);
    }

    // One store for the worker and the client: the conversation lives in this process only,
    // which suits an example; a real deployment names a file or PostgreSQL (DURABLE_TEAMS_STORE).
    const store = conversationStoreOn(new RamBackend());
    // A task queue of its own, so a worker left running elsewhere never takes these runs.
    const taskQueue = `durable-teams-example-${process.pid}-${Date.now()}`;
    const connection = await connectWorker(address);
    cleanups.push(() => connection.close());
    // The MCP servers its teams start (stdio processes) end with the stack, not with the process.
    const mcp = new McpConnections();
    cleanups.push(() => mcp.close());
    const worker = await createTeamWorker({
      mcp,
      connection,
      taskQueue,
      model: { baseUrl: modelBaseUrl },
      tools: options.tools,
      speakerFunctions: options.speakerFunctions,
      store,
      live: null,
      shutdownGraceTime: '1s',
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
    });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const client = await TeamClient.connect({ address, namespace: 'default', taskQueue, store, live: null });
    cleanups.push(() => client.client.connection.close());
    return { client, address, modelBaseUrl, out, worker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs an example's main function as a command: one error line and exit code 1 on failure. */
export function runAsCommand(main: () => Promise<unknown>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
