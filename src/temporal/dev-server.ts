import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { devServerSearchAttributeArgs } from './search-attributes';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { packageRoot } from '../paths';

export interface DevServerOptions {
  /** Default 127.0.0.1. */
  ip?: string;
  /** gRPC port; default: a free one. */
  port?: number;
  /** SQLite file that keeps runs across restarts; null keeps them in memory only. */
  dbFile?: string | null;
  /** Serve the Web UI (on `uiPort`, default port + 1000). Default false. */
  ui?: boolean;
  uiPort?: number;
  /** Server log level: debug, info, warn, error, never. Default "error". */
  logLevel?: string;
  /** Register the run search attributes (see search-attributes.ts) as the server starts. Default: true. */
  searchAttributes?: boolean;
  /** Extra `temporal server start-dev` arguments, e.g. ['--search-attribute', 'Name=Keyword']. */
  extraArgs?: string[];
  /** Where the server's output goes. Default: kept in memory, shown if it fails to start. */
  onOutput?: (chunk: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  /** The temporal binary in use, or "sdk-download". */
  binary: string;
  /** Ends the server: SIGTERM, then SIGKILL after 10s. */
  stop(): Promise<void>;
  /** Ends it at once, as a crash would (durability tests). */
  kill(): Promise<void>;
}

/**
 * Dynamic config the dev server starts with. The server's queue processors poll their queues at
 * most 20 times a second by default, and the dev server has a single history shard, so every
 * workflow task waited ~50 ms for the transfer queue (measured: 55 ms per activity round trip,
 * 20 ms without the cap). Eager activity execution hands an activity scheduled by a workflow
 * task straight back to the worker that completed it, skipping a trip through matching.
 * Visibility calls (ListTasks is a list and a count; the console, quotas) are allowed 10 a second
 * per namespace by default, past which they are refused and the client backs off for a second or
 * two. deploy/temporal/dynamicconfig.yaml sets the same for the compose file and the cluster.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  'history.transferProcessorMaxPollRPS': 10_000,
  'history.timerProcessorMaxPollRPS': 10_000,
  'history.visibilityProcessorMaxPollRPS': 10_000,
  'system.enableActivityEagerExecution': true,
  'frontend.namespaceRPS.visibility': 1_000,
};

export function dynamicConfigArgs(config: Record<string, string | number | boolean> = DEV_SERVER_DYNAMIC_CONFIG): string[] {
  return Object.entries(config).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

/** Path of a Temporal CLI binary (scripts/temporal-cli.sh finds or builds one), or null. */
export function locateTemporalCli(): string | null {
  const script = join(packageRoot(), 'scripts', 'temporal-cli.sh');
  const found = spawnSync(script, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return found.status === 0 ? found.stdout.trim() : null;
}

export async function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the frontend answers and the default namespace is usable. */
export async function waitForServer(address: string, timeoutMs = 60_000, namespace = 'default'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = err;
      await sleep(100);
    }
  }
  throw new Error(`Temporal at ${address} did not become ready in ${timeoutMs / 1000}s: ${(last as Error)?.message}`);
}

/**
 * Starts the real Temporal dev server (`temporal server start-dev`): SQLite persistence, optional
 * Web UI. Without a local binary it falls back to the SDK's own download (needs internet).
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await freePort(ip));
  const binary = locateTemporalCli();
  if (!binary) return startWithSdkDownload(ip, port, options);

  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--log-level',
    options.logLevel ?? 'error',
    ...dynamicConfigArgs(),
    ...(options.searchAttributes === false ? [] : devServerSearchAttributeArgs()),
  ];
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.ui) args.push('--ui-port', String(options.uiPort ?? port + 1000));
  else args.push('--headless');
  args.push(...(options.extraArgs ?? []));

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4_000);
    options.onOutput?.(text);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A server started for this process must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const address = `${ip}:${port}`;

  const ready = waitForServer(address).then(() => 'ready' as const);
  const outcome = await Promise.race([ready, exited.then(() => 'exited' as const)]).catch((err: Error) => err);
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    const why = outcome instanceof Error ? outcome.message : 'the server exited';
    throw new Error(`${binary} server start-dev failed on ${address}: ${why}\n${output.trim()}`);
  }
  return {
    address,
    uiUrl: options.ui ? `http://${ip}:${options.uiPort ?? port + 1000}` : null,
    binary,
    stop: () => endProcess(child, exited, 'SIGTERM'),
    kill: () => endProcess(child, exited, 'SIGKILL'),
  };
}

async function endProcess(child: ChildProcess, exited: Promise<unknown>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function startWithSdkDownload(ip: string, port: number, options: DevServerOptions): Promise<DevServer> {
  // Loaded only here: the testing package is heavy and needs its download site to be reachable.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip,
      port,
      ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
      ui: options.ui ?? false,
      ...(options.uiPort ? { uiPort: options.uiPort } : {}),
      extraArgs: [
        ...dynamicConfigArgs(),
        ...(options.searchAttributes === false ? [] : devServerSearchAttributeArgs()),
        ...(options.extraArgs ?? []),
      ],
    },
  });
  const stop = () => env.teardown();
  return {
    address: env.address,
    uiUrl: options.ui ? `http://${ip}:${options.uiPort ?? port + 1000}` : null,
    binary: 'sdk-download',
    stop,
    kill: stop,
  };
}
