import type { LiveChannel } from '../live/channel';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { installRuntimeLogging } from '../logging/runtime-logging';
import type { ModelDefaults } from '../model/endpoint';
import type { ConversationStore } from '../store/conversation-store';
import type { MemoryStore } from '../memory/memory-store';
import type { ToolDefinition } from '../tools/define-tool';
import type { SpeakerFunctions } from '../tools/speaker-functions';
import { connectWorker } from '../worker/worker-connection';
import { TeamClient } from '../client/team-client';
import { bundleTeamWorkflows, createTeamWorker } from '../worker/team-worker';
import type { McpConnections } from '../mcp/mcp-connections';
import type { Tracing } from '../telemetry/tracing';
import type { WorkerDeployment } from '../worker/worker-options';

/** Set by the test suite's global setup: the dev server it started, and the workflow bundle it built. */
export const TEST_ADDRESS_ENV = 'DURABLE_TEAMS_TEST_ADDRESS';
export const TEST_BUNDLE_ENV = 'DURABLE_TEAMS_TEST_BUNDLE';

export function testTemporalAddress(): string {
  const address = process.env[TEST_ADDRESS_ENV];
  if (!address)
    throw new Error(`${TEST_ADDRESS_ENV} is not set: run the tests with \`npm test\`, whose setup starts a Temporal dev server`);
  return address;
}

let bundle: Promise<{ code: string }> | null = null;

/** The workflow bundle the global setup wrote, else one built here (once per process). */
export function testWorkflowBundle(): Promise<{ code: string }> {
  const file = process.env[TEST_BUNDLE_ENV];
  bundle ??= file && existsSync(file) ? Promise.resolve({ code: readFileSync(file, 'utf8') }) : bundleTeamWorkflows();
  return bundle;
}

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface TestWorkerOptions {
  address?: string;
  taskQueue?: string;
  model?: ModelDefaults;
  env?: Record<string, string | undefined>;
  maxCachedWorkflows?: number;
  tools?: readonly ToolDefinition[];
  speakerFunctions?: SpeakerFunctions;
  /** A payload codec for the worker and its client alike. */
  dataConverter?: DataConverter;
  /** Tracing for the worker (its plugin: the worker then bundles the workflows itself) and its client. */
  tracing?: Tracing;
  /** The conversation store of the worker and its client. Default: the suite's (DURABLE_TEAMS_STORE). */
  store?: ConversationStore;
  /** Payloads over 256 KiB kept in the store, on the worker and its client. Default: the environment's. */
  externalPayloads?: boolean;
  /** The agents' memory on the worker. Default: beside the suite's store (DURABLE_TEAMS_STORE). */
  memory?: MemoryStore;
  /** Worker Versioning: the worker's deployment and build. Default: an unversioned worker. */
  deployment?: WorkerDeployment;
  /** The worker's connections to MCP servers (the test closes them). Default: the process's. */
  mcp?: McpConnections;
  /** Where the worker publishes live previews; null: nowhere. Default: the environment's channel. */
  live?: LiveChannel | null;
}

export interface TestWorker {
  taskQueue: string;
  address: string;
  client: TeamClient;
  worker: Worker;
  /** Shuts the worker down gracefully and closes its connections. */
  stop(): Promise<void>;
}

/** A real worker in this process on its own task queue, and a client for it. */
export async function startTestWorker(options: TestWorkerOptions = {}): Promise<TestWorker> {
  // Activity retries log at WARN; tests provoke them on purpose.
  installRuntimeLogging('ERROR');
  const address = options.address ?? testTemporalAddress();
  const taskQueue = options.taskQueue ?? uniqueTaskQueue();
  const connection = await connectWorker(address);
  const worker = await createTeamWorker({
    connection,
    taskQueue,
    model: options.model,
    env: options.env,
    tools: options.tools,
    speakerFunctions: options.speakerFunctions,
    // Tracing's workflow interceptors must be bundled in, so a traced worker builds its own bundle.
    ...(options.tracing ? { plugins: [options.tracing.workerPlugin] } : { workflowBundle: await testWorkflowBundle() }),
    shutdownGraceTime: '1s',
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    dataConverter: options.dataConverter,
    store: options.store,
    externalPayloads: options.externalPayloads,
    ...(options.memory ? { memory: options.memory } : {}),
    ...(options.deployment ? { deployment: options.deployment } : {}),
    ...(options.mcp ? { mcp: options.mcp } : {}),
    ...(options.live !== undefined ? { live: options.live } : {}),
  });
  const running = worker.run();
  const client = await TeamClient.connect({
    address,
    namespace: 'default',
    taskQueue,
    dataConverter: options.dataConverter,
    store: options.store,
    externalPayloads: options.externalPayloads,
    ...(options.tracing ? { interceptors: options.tracing.clientInterceptors } : {}),
  });
  // Once, however often it is asked: a test that stops a worker itself and an afterAll that stops
  // every worker must not fail on the second call and leave the others polling.
  let stopped: Promise<void> | undefined;
  return {
    taskQueue,
    address,
    client,
    worker,
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
        await client.close();
      })();
      return stopped;
    },
  };
}
