import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientFactory } from '@a2a-js/sdk/client';
import { startA2AServer } from '../src/server/server';
import { packageRoot } from '../src/paths';
import { startScriptedModelServer, type ScriptedModelServer } from '../src/testing/scripted-model';
import { testWorkflowBundle, uniqueTaskQueue } from '../src/testing/temporal-env';
import { RamLiveChannel } from '../src/live/ram-channel';
import { createTeamWorker } from '../src/worker/team-worker';
import { TeamClient } from '../src/client/team-client';
import { connectWorker } from '../src/worker/worker-connection';
import { startWorkerProcess } from '../src/testing/worker-process';
import { sendParams } from './a2a-message';
import { pingPongTeam } from './ping-pong';
import type { ReadsRig } from './reads';
import { fmt, median, percentile } from './stats';

/** Runs measured in each setting, after one to warm up; BENCH_READS_TOKEN_RUNS overrides. */
const RUNS = Number(process.env.BENCH_READS_TOKEN_RUNS ?? 5);
/** As the live previews section: a reply of 50 tokens, 20 ms apart. */
const TOKENS = 50;
const TOKEN_MS = 20;
const TEAM = 'bench-reads-live';
const reply = (name: string) => Array.from({ length: TOKENS }, (_, i) => `${name}${i}`).join(' ');

/** A team file for `serve`: the ping/pong team of two turns, its model the worker's --model-base-url. */
const TEAM_FILE = `version: 1
name: ${TEAM}
description: Says ping and pong.
pattern: round_robin
model: { model: scripted }
agents:
  - { name: ping, description: Says ping. }
  - { name: pong, description: Says pong. }
termination: { type: max_messages, max: 3 }
`;

/**
 * First token leaving the model → first chunk of its draft at an A2A client, per model call:
 * runs of two turns through the team at `teamUrl`. Empty when no draft chunk came at all (no
 * channel carried the previews), in which case it stops after the first run.
 */
async function firstTokenLatencies(teamUrl: string, model: ScriptedModelServer): Promise<number[]> {
  const a2a = await new ClientFactory().createFromUrl(teamUrl);
  const latencies: number[] = [];
  for (let i = 0; i <= RUNS; i += 1) {
    let runId = '';
    const firstChunkAt = new Map<string, number>();
    for await (const event of a2a.sendMessageStream(sendParams('Go.'))) {
      const arrived = Date.now();
      const p = event.payload;
      if (p?.$case === 'task') runId = p.value.id;
      const artifactId = p?.$case === 'artifactUpdate' ? p.value.artifact?.artifactId : undefined;
      if (artifactId?.startsWith('draft-') && !firstChunkAt.has(artifactId)) firstChunkAt.set(artifactId, arrived);
    }
    if (firstChunkAt.size === 0) return [];
    if (i === 0) continue; // warm-up
    const sentAt = model.requests.filter((r) => r.runId === runId && r.firstPieceAt).map((r) => r.firstPieceAt!);
    const seenAt = [...firstChunkAt.values()];
    sentAt.forEach((at, k) => seenAt[k] !== undefined && latencies.push(seenAt[k]! - at));
  }
  return latencies;
}

/** `durable-teams serve` in a process of its own; resolves with its team's URL once it says it, and how to stop it. */
async function startServe(args: string[], env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'durable-teams'), 'serve', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not say where it listens within 60 s:\n${stderr}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = new RegExp(`^${TEAM} (http\\S+)$`, 'm').exec(stdout);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`serve exited before it was ready:\n${stderr}`));
      });
    });
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * First token → first draft chunk at a client, in two settings: the embedded one (worker and
 * front end in this process, previews handed over in memory) and the README walkthrough's shape
 * on the folder store (a worker process and a separate `serve` process, both on the rig's folder;
 * what carries previews between them is the local channel, src/live/local-channel.ts).
 */
export async function benchFirstTokens({ address, folder, client, log }: ReadsRig): Promise<string> {
  const model = await startScriptedModelServer({
    script: {
      agents: { ping: { replies: [reply('ping')], tokenDelayMs: TOKEN_MS }, pong: { replies: [reply('pong')], tokenDelayMs: TOKEN_MS } },
    },
  });
  // The embedded setup: a worker here and a front end on the same channel, in memory.
  const live = new RamLiveChannel();
  const embeddedQueue = uniqueTaskQueue('bench-reads-tokens');
  const connection = await connectWorker(address);
  const embedded = await createTeamWorker({
    connection,
    taskQueue: embeddedQueue,
    model: { baseUrl: model.baseUrl },
    store: client.store,
    live,
    workflowBundle: await testWorkflowBundle(),
    shutdownGraceTime: '1s',
  });
  const running = embedded.run();
  // On the rig's Temporal client, which the rig closes.
  const embeddedClient = new TeamClient(client.client, embeddedQueue, client.store, live);
  const server = await startA2AServer({
    teams: [pingPongTeam(TEAM, 2, model.baseUrl)],
    client: embeddedClient,
    port: 0,
    version: 'bench',
    tokens: null,
    secrets: null,
  });
  let inProcess: number[];
  try {
    inProcess = await firstTokenLatencies(server.teamUrls[TEAM]!, model);
  } finally {
    await server.close({ graceMs: 1_000 });
    embedded.shutdown();
    await running;
    await connection.close();
  }

  const taskQueue = uniqueTaskQueue('bench-reads-tokens-x');
  const env = { DURABLE_TEAMS_STORE: folder };
  const dir = mkdtempSync(join(tmpdir(), 'durable-teams-bench-reads-team-'));
  writeFileSync(join(dir, 'team.yaml'), TEAM_FILE);
  const worker = await startWorkerProcess({ address, taskQueue, modelBaseUrl: model.baseUrl, env });
  let crossProcess: number[] = [];
  let serve: { url: string; stop(): Promise<void> } | undefined;
  try {
    serve = await startServe([join(dir, 'team.yaml'), '--port', '0', '--address', address, '--task-queue', taskQueue], env);
    crossProcess = await firstTokenLatencies(serve.url, model);
  } finally {
    await serve?.stop();
    await worker.kill('SIGTERM');
    await model.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const figures = (samples: number[]) => `p50 ${fmt(median(samples))}  p99 ${fmt(percentile(samples, 99))}  (${samples.length} calls)`;
  log(`First token leaving the model -> first draft chunk at an A2A client, replies of ${TOKENS} tokens ${TOKEN_MS} ms apart:`);
  log(`  worker and front end in one process (memory channel): ${figures(inProcess)}`);
  log(
    `  worker process and a separate serve on the folder store: ${crossProcess.length ? figures(crossProcess) : 'n/a (no preview crossed the processes: needs the local channel)'}`,
  );
  const cross = crossProcess.length
    ? `reads_first_token_x_p50_ms=${median(crossProcess).toFixed(1)} reads_first_token_x_p99_ms=${percentile(crossProcess, 99).toFixed(1)}`
    : 'reads_first_token_x=n/a';
  return `reads_first_token_p50_ms=${median(inProcess).toFixed(1)} reads_first_token_p99_ms=${percentile(inProcess, 99).toFixed(1)} ${cross}`;
}
