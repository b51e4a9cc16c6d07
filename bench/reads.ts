import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startA2AServer, type A2AServer } from '../src/server/server';
import { rendezvousDirOf } from '../src/live/local-rendezvous';
import type { TeamSpec } from '../src/spec/team';
import { ConversationStore } from '../src/store/conversation-store';
import { FileBackend } from '../src/store/file-backend';
import { startScriptedModelServer, type ScriptedModelServer } from '../src/testing/scripted-model';
import { uniqueTaskQueue } from '../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../src/testing/worker-process';
import { CallsInFlight } from '../src/temporal/calls-in-flight';
import { TeamClient } from '../src/client/team-client';
import { countingClient, GrpcCallCounter } from './grpc-calls';
import { pingPongTeam } from './ping-pong';
import { benchFirstTokens } from './reads-first-token';
import { benchGetTask } from './reads-get-task';
import { benchTurnLatency } from './reads-turn-latency';
import { benchWatchers } from './reads-watchers';

/** What a reply takes at the model: a turn long enough that readers arrive while it is in flight. */
export const MODEL_LATENCY_MS = 300;

/**
 * What the reads sections share: a worker in a process of its own (so its CPU is its own), and an
 * A2A front end in this process on a client whose every Temporal call is counted, both on one
 * folder store; a model that answers each turn after MODEL_LATENCY_MS.
 */
export interface ReadsRig {
  address: string;
  server: A2AServer;
  /** The front end's client. */
  client: TeamClient;
  /** Its Temporal calls, by method. */
  calls: GrpcCallCounter;
  worker: WorkerProcess;
  model: ScriptedModelServer;
  /** The folder store the worker and the front end share. */
  folder: string;
  /** A run of a few turns (GetTask, recorded turn latency), and one that outlasts any window (watchers). */
  short: TeamSpec;
  long: TeamSpec;
  log: (line: string) => void;
}

/** Turns of the short run; BENCH_READS_TURNS overrides. */
const TURNS = Number(process.env.BENCH_READS_TURNS ?? 10);

/**
 * Issue 31's reads: GetTask under a crowd of readers while the run's workflow task is in flight,
 * a thousand watchers and what they cost Temporal and the worker, how soon a recorded turn reaches
 * a stream and the console, and how soon a first token reaches a client.
 */
export async function benchReads(address: string, log: (line: string) => void): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'durable-teams-bench-reads-'));
  const store = new ConversationStore(await FileBackend.open(folder));
  const model = await startScriptedModelServer({
    script: {
      agents: {
        ping: { replies: ['ping'], latencyMs: MODEL_LATENCY_MS },
        pong: { replies: ['pong'], latencyMs: MODEL_LATENCY_MS },
      },
    },
  });
  const taskQueue = uniqueTaskQueue('bench-reads');
  const worker = await startWorkerProcess({
    address,
    taskQueue,
    modelBaseUrl: model.baseUrl,
    env: { DURABLE_TEAMS_STORE: folder },
    // The watchers' hundred runs each wait on a model call at once.
    args: ['--max-concurrent-activities', '200'],
  });
  const calls = new GrpcCallCounter();
  const inFlight = new CallsInFlight();
  const client = new TeamClient(await countingClient(address, calls, inFlight), taskQueue, store, null);
  const short = pingPongTeam('bench-reads', TURNS, model.baseUrl);
  const long = pingPongTeam('bench-reads-long', 200, model.baseUrl);
  const server = await startA2AServer({ teams: [short, long], client, port: 0, version: 'bench', tokens: null, secrets: null });
  const rig: ReadsRig = { address, server, client, calls, worker, model, folder, short, long, log };
  try {
    log(
      `Reads (issue 31): a worker process, an A2A front end in this process (its Temporal calls counted), a folder store, the model ${MODEL_LATENCY_MS} ms a reply`,
    );
    const getTask = await benchGetTask(rig);
    const watchers = await benchWatchers(rig);
    const turns = await benchTurnLatency(rig);
    const firstTokens = await benchFirstTokens(rig);
    return `${getTask} ${watchers} ${turns} ${firstTokens}`;
  } finally {
    await server.close({ graceMs: 1_000 });
    await inFlight.settle(2_000); // the followers' long polls, cut off before the connection closes
    await client.close();
    await worker.kill('SIGTERM');
    await model.close();
    await store.close();
    // The sockets the worker and `serve` met at, beside the folder (see src/live/local-channel.ts).
    const rendezvous = await rendezvousDirOf(folder);
    if (rendezvous) rmSync(rendezvous, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  }
}
