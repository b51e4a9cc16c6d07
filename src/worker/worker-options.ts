import type { DataConverter } from '@temporalio/common';
import type { NativeConnection, ReplayWorkerOptions, WorkerOptions, WorkerPlugin } from '@temporalio/worker';
import { createTeamActivities } from '../../activities';
import type { McpConnections } from '../mcp/mcp-connections';
import { defaultMcpConnections } from '../mcp/default-connections';
import type { ModelDefaults } from '../model/endpoint';
import type { ToolDefinition } from '../tools/define-tool';
import type { SpeakerFunctions } from '../tools/speaker-functions';
import type { ConversationStore } from '../store/conversation-store';
import { defaultConversationStore } from '../site/default-store';
import { dataConverterOf } from '../store/external-payloads';
import type { LiveChannel } from '../live/channel';
import { defaultLiveChannel } from '../site/default-channel';
import { LiveBatcher } from '../live/live-batcher';
import { noteFailedAttempts } from './failed-attempts-interceptor';
import { durationToMs, type Duration } from '../core/duration';
import { DEFAULT_HEARTBEAT_EVERY_MS } from '../../activities/heartbeat';
import type { MemoryStore } from '../memory/memory-store';
import { defaultMemoryStore } from '../site/default-memory';
import { openAiEmbedder } from '../memory/embeddings';

export interface TeamWorkerOptions {
  connection: NativeConnection;
  /** Default "default". */
  namespace?: string;
  taskQueue: string;
  /** Endpoint defaults for agents whose spec names none (OPENAI_BASE_URL etc. otherwise). */
  model?: ModelDefaults;
  /** Where model keys are read from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Function tools the teams' agents may call (each call an activity on this worker). */
  tools?: readonly ToolDefinition[];
  /** Selector functions and candidate filters the teams' selector blocks name. */
  speakerFunctions?: SpeakerFunctions;
  /** A prebuilt workflow bundle (tests and benchmarks build it once); else the worker bundles workflows/. */
  workflowBundle?: { code: string };
  /**
   * How often a model call, tool call or remote call in flight beats. Temporal tells an activity
   * of its cancellation only in the answer to a heartbeat, so this is how long a cancelled run's
   * work may go on (plus a round trip); a longer one costs fewer heartbeats. The heartbeat timeout
   * (team file, `timeouts.heartbeat`) is apart: how long a dead worker goes unnoticed. Default "1s".
   */
  heartbeatEvery?: Duration;
  /** How long in-flight activities may run on after shutdown begins. Default "10s". */
  shutdownGraceTime?: number | string;
  /**
   * Activities (model calls, tool calls, remote calls) this worker runs at once. They mostly wait
   * on a model, so one worker can hold many more than the SDK's default of 100. Default: the SDK's.
   */
  maxConcurrentActivities?: number;
  /** Workflows kept in memory between tasks; 0 forces a replay at every step (tests use it). */
  maxCachedWorkflows?: number;
  /** The payload codec (codec/data-converter.ts); clients that read the runs need the same. */
  dataConverter?: DataConverter;
  /**
   * Where the runs' conversations live; clients that read the runs need the same. Default: the
   * store DURABLE_TEAMS_STORE names (else the folder .durable-teams/conversations), encrypted
   * with `dataConverter`'s codec.
   */
  store?: ConversationStore;
  /**
   * Keep payloads over 256 KiB in the store (Temporal's external storage). Default:
   * DURABLE_TEAMS_EXTERNAL_PAYLOADS. Clients that read the runs need the same.
   */
  externalPayloads?: boolean;
  /**
   * Where the text a model is writing is sent while it writes, for front ends to show. Default: the
   * channel beside the store (PostgreSQL's LISTEN/NOTIFY with a PostgreSQL store, Unix sockets
   * beside a folder store, this process's memory with `memory:`); null sends none.
   */
  live?: LiveChannel | null;
  /**
   * Worker plugins, such as tracing's (telemetry/tracing.ts). A plugin that adds workflow
   * interceptors needs the worker to bundle the workflows itself: give no workflowBundle then.
   */
  plugins?: WorkerPlugin[];
  /**
   * Where the agents' memory lives (see src/memory). Default: beside the store DURABLE_TEAMS_STORE
   * names, opened when an agent first uses it, sealed with `dataConverter`'s codec.
   */
  memory?: MemoryStore;
  /**
   * Connections to the MCP servers the teams' agents use (see src/mcp). Default: the process's
   * own, made on first use and ended with the process; pass yours to close them sooner.
   */
  mcp?: McpConnections;
  /**
   * Worker Versioning: the deployment this worker belongs to and its build. Team runs are then
   * pinned to the build that started them and move to a new current build at safe points (see
   * docs/deploys.md). Absent: an unversioned worker, which takes any run on its task queue.
   */
  deployment?: WorkerDeployment;
}

export interface WorkerDeployment {
  /** One name for every build of these workers, e.g. "durable-teams". */
  name: string;
  /** This build: the same for every worker running the same code, new for every release. */
  buildId: string;
}

/** Where the workflow code lives, as source (ts-jest) or compiled (dist). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

/**
 * The one description of a team worker, used by the worker, the tests, the benchmarks and the
 * replayer, so that what is tested is what runs.
 */
export function createWorkerOptions(options: TeamWorkerOptions): WorkerOptions {
  const store = options.store ?? defaultConversationStore(options.dataConverter);
  const liveChannel = options.live === undefined ? defaultLiveChannel(options.dataConverter) : options.live;
  const live = liveChannel ? new LiveBatcher(liveChannel) : null;
  const heartbeatEveryMs = options.heartbeatEvery === undefined ? DEFAULT_HEARTBEAT_EVERY_MS : durationToMs(options.heartbeatEvery);
  if (heartbeatEveryMs === undefined || heartbeatEveryMs <= 0)
    throw new Error(`heartbeatEvery: ${JSON.stringify(options.heartbeatEvery)} is not a duration; write one like "1s" or "500ms"`);
  return {
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createTeamActivities({
      defaults: options.model,
      env: options.env,
      tools: options.tools,
      speakerFunctions: options.speakerFunctions,
      store,
      ...(live ? { live } : {}),
      heartbeatEveryMs,
      mcp: options.mcp ?? defaultMcpConnections(options.env),
      memory: {
        store: options.memory ?? defaultMemoryStore(options.dataConverter),
        embed: openAiEmbedder(options.model, options.env),
      },
    }),
    // The SDK holds heartbeats back for 0.8 × the heartbeat timeout (30 s by default, so 24 s):
    // capped at the beat, each beat reaches the server, and with it the news of a cancellation.
    maxHeartbeatThrottleInterval: heartbeatEveryMs,
    // Each failed attempt's reason is kept beside the run: history keeps only the last.
    interceptors: { activity: [noteFailedAttempts(store)] },
    shutdownGraceTime: (options.shutdownGraceTime ?? '10s') as WorkerOptions['shutdownGraceTime'],
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.maxConcurrentActivities !== undefined ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities } : {}),
    // Payloads too large for history (a reply of megabytes) go to the same store, when asked.
    ...dataConverterOf(options.dataConverter, store.backend, options.externalPayloads),
    ...(options.plugins?.length ? { plugins: options.plugins } : {}),
    ...(options.deployment
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true,
            version: { deploymentName: options.deployment.name, buildId: options.deployment.buildId },
            // Every run ends on the build it began on, unless it moves (workflows/build-move.ts), so
            // no worker replays a history its code does not know. Set here, not on the workflow:
            // an unversioned worker refuses a workflow that names a behaviour.
            defaultVersioningBehavior: 'PINNED' as const,
          },
        }
      : {}),
  };
}

/** The same workflows, for replaying recorded histories (the non-determinism check). */
export function createReplayWorkerOptions(workflowBundle?: { code: string }): ReplayWorkerOptions {
  return workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH };
}
