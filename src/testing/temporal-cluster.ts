import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { msToTs, type Duration } from '@temporalio/common/lib/time';
import { packageRoot } from '../paths';
import { closeClient, connectClient } from '../temporal/connection';
import { freePort, waitForServer } from '../temporal/dev-server';
import { missingSearchAttributes, registerSearchAttributes } from '../temporal/search-attributes';
import { startPostgres, type TestPostgres } from './postgres';

const run = promisify(execFile);

/** Temporal's four services; each runs in a process of its own. */
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/** The compose file's settings, which the cluster shares (a test holds them equal). */
export const CLUSTER_DEFAULTS = { historyShards: 4, retention: '168h' } as const;

export interface ClusterOptions {
  /** History shards; fixed for the life of the cluster's database. Default 4, as the compose file. */
  historyShards?: number;
  /** How long a finished run stays readable. Default 168h, as the compose file. */
  retention?: string;
  namespace?: string;
  /**
   * Each Temporal service reads the search attributes from the database on every use, so that the
   * ones registered at start are usable at once (default, for tests). false: as a production server,
   * from a cache refreshed each minute; a benchmark then waits that minute (SEARCH_ATTRIBUTE_CACHE_MS).
   */
  refreshSearchAttributesOnRead?: boolean;
  /**
   * Which build of the server (see scripts/temporal-server.sh): `release` (default), Go's optimized
   * build, as production runs it; `quick`, half the compiling, for tests that break a cluster to
   * see what survives, not to measure it.
   */
  build?: ServerBuild;
}

export type ServerBuild = 'release' | 'quick';

/** How long a Temporal service may go on with search attributes cached before a registration (its refresh interval). */
export const SEARCH_ATTRIBUTE_CACHE_MS = 60_000;

export interface TemporalCluster {
  /** The frontend's host:port. */
  address: string;
  namespace: string;
  /** The PostgreSQL that holds Temporal's two databases (and a durable_teams one for the conversation store). */
  postgres: TestPostgres;
  /** Where the config, logs and PostgreSQL's data live. */
  dir: string;
  /** Kills one service's process (SIGKILL unless told otherwise), as a crash of that machine would. */
  kill(service: ClusterService, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a service again on its ports; resolves once it listens. */
  start(service: ClusterService): Promise<void>;
  restart(service: ClusterService): Promise<void>;
  /** The last lines a service wrote, for failures worth explaining. */
  log(service: ClusterService): string;
  /** Stops every process and deletes the folder. */
  stop(): Promise<void>;
}

/**
 * Where scripts/temporal-server.sh put the server, its SQL tool and the schemas (it builds them
 * once; while another process builds them, it waits for that build).
 */
export async function locateTemporalServer(build: ServerBuild = 'release'): Promise<string> {
  const script = join(packageRoot(), 'scripts', 'temporal-server.sh');
  const env = { ...process.env, DURABLE_TEAMS_SERVER_BUILD: build };
  const child = spawn(script, { stdio: ['ignore', 'pipe', 'inherit'], env });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  if (code !== 0) throw new Error(`scripts/temporal-server.sh could not provide the Temporal server (exit ${code}); see its output above`);
  return out.trim();
}

/**
 * Temporal as it runs in production, on this machine: PostgreSQL (Debian's server binaries) holding
 * the persistence and visibility databases, schemas set up as the auto-setup image does, and the
 * frontend, history, matching and worker services each in its own process on loopback ports, so a
 * test can kill and restart any one of them. Real parts only: the server is Temporal's own build.
 */
export async function startTemporalCluster(options: ClusterOptions = {}): Promise<TemporalCluster> {
  const home = await locateTemporalServer(options.build);
  const namespace = options.namespace ?? 'default';
  const postgres = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'durable-teams-cluster-'));
  const processes = new Map<ClusterService, ChildProcess>();
  const stopAll = async () => {
    await Promise.all([...processes.keys()].map((service) => killService(processes, service, 'SIGKILL')));
    await postgres.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await setUpSchemas(home, postgres.port);
    const ports = await servicePorts();
    writeClusterConfig(
      dir,
      postgres.port,
      ports,
      options.historyShards ?? CLUSTER_DEFAULTS.historyShards,
      options.refreshSearchAttributesOnRead ?? true,
    );

    // A service may wait for the others before it serves (history asks matching), so all start at once.
    const spawnService = (service: ClusterService) => {
      const log = createWriteStream(join(dir, `${service}.log`), { flags: 'a' });
      const child = spawn(
        join(home, 'bin', 'server'),
        ['--root', dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start', '--service', service],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
      processes.set(service, child);
      // The worker service serves no gRPC of its own: it is up once it listens for its ring.
      const port = service === 'worker' ? ports[service].membership : ports[service].grpc;
      return listening(
        port,
        () => child.exitCode !== null,
        () => tail(dir, service),
      );
    };
    const start = (service: ClusterService) => spawnService(service);
    // The first process writes the cluster's metadata; two writing it at once, one fails.
    const first = spawnService('history');
    await clusterMetadataWritten(postgres.port);
    await Promise.all([first, ...CLUSTER_SERVICES.filter((s) => s !== 'history').map(spawnService)]);

    const address = `127.0.0.1:${ports.frontend.grpc}`;
    await waitForServer(address, 60_000, 'temporal-system');
    await registerNamespace(address, namespace, options.retention ?? CLUSTER_DEFAULTS.retention);
    await waitForServer(address, 60_000, namespace);
    await withSearchAttributes(address, namespace);

    return {
      address,
      namespace,
      postgres,
      dir,
      kill: (service, signal = 'SIGKILL') => killService(processes, service, signal),
      start,
      async restart(service) {
        await killService(processes, service, 'SIGTERM');
        await start(service);
      },
      log: (service) => tail(dir, service),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function clusterMetadataWritten(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const db = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/temporal` });
  await db.connect();
  try {
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM cluster_metadata_info');
      if (Number(rows[0]!.n) > 0) return;
      await sleep(100);
    }
  } finally {
    await db.end();
  }
  throw new Error(`the first Temporal service wrote no cluster metadata within ${timeoutMs / 1000}s`);
}

/** What auto-setup does: both databases, their base schema, then every versioned upgrade. */
async function setUpSchemas(home: string, port: number): Promise<void> {
  const tool = join(home, 'bin', 'temporal-sql-tool');
  const base = ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(port), '--user', 'postgres'];
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const on = [...base, '--database', database];
    await run(tool, [...on, 'create-database']);
    await run(tool, [...on, 'setup-schema', '-v', '0.0']);
    await run(tool, [...on, 'update-schema', '-d', join(home, 'schema', 'postgresql', 'v12', schema, 'versioned')]);
  }
}

type Ports = Record<ClusterService, { grpc: number; membership: number; http?: number }>;

async function servicePorts(): Promise<Ports> {
  const pair = async () => ({ grpc: await freePort(), membership: await freeLowPort() });
  return {
    frontend: { ...(await pair()), http: await freePort() },
    history: await pair(),
    matching: await pair(),
    worker: await pair(),
  };
}

/**
 * Temporal keeps membership ports in a smallint column, so they must be below 32768: ports the
 * system hands out (ephemeral, above 32768 on Linux) are refused. One is picked at random and tried.
 */
async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free loopback port between 20000 and 32000 for Temporal membership');
}

/** The server's config: the compose file's shape (PostgreSQL, shards, dynamic config), services on loopback. */
function writeClusterConfig(dir: string, postgresPort: number, ports: Ports, shards: number, refreshOnRead: boolean): void {
  mkdirSync(join(dir, 'config'), { recursive: true });
  const shared = readFileSync(join(packageRoot(), 'deploy', 'temporal', 'dynamicconfig.yaml'), 'utf8');
  // Tests add search attributes and use them at once; the cache refresh a production server waits for
  // is skipped. It costs a database read each time a service needs them: for each run a listing returns.
  const dynamicConfig = refreshOnRead ? `${shared}\nsystem.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n` : shared;
  writeFileSync(join(dir, 'config', 'dynamicconfig.yaml'), dynamicConfig);
  const datastore = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${postgresPort}`,
      connectProtocol: 'tcp',
      user: 'postgres',
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (service: ClusterService) => ({
    rpc: {
      grpcPort: ports[service].grpc,
      membershipPort: ports[service].membership,
      bindOnIP: '127.0.0.1',
      ...(ports[service].http ? { httpPort: ports[service].http } : {}),
    },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: shards,
      datastores: { default: datastore('temporal', 20), visibility: datastore('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(CLUSTER_SERVICES.map((service) => [service, rpc(service)])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend.grpc}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: join(dir, 'config', 'dynamicconfig.yaml'), pollInterval: '10s' },
  };
  // JSON is YAML: the server's config loader reads it as such.
  writeFileSync(join(dir, 'config', 'cluster.yaml'), JSON.stringify(config, null, 2));
}

async function registerNamespace(address: string, namespace: string, retention: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retention as Duration),
    });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) throw err;
  } finally {
    await connection.close();
  }
}

/** Registers the run search attributes, as the dev server's flags do, and waits until the frontend lists them. */
async function withSearchAttributes(address: string, namespace: string): Promise<void> {
  const client = await connectClient(address, namespace);
  try {
    await registerSearchAttributes(client);
    const deadline = Date.now() + 60_000;
    while ((await missingSearchAttributes(client)).length > 0) {
      if (Date.now() > deadline) throw new Error(`the cluster at ${address} did not list the run search attributes within 60 s`);
      await sleep(250);
    }
  } finally {
    await closeClient(client);
  }
}

async function killService(processes: Map<ClusterService, ChildProcess>, service: ClusterService, signal: NodeJS.Signals): Promise<void> {
  const child = processes.get(service);
  processes.delete(service);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  // A service asked to stop gets 20 s to leave its ring; then it is killed.
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Resolves once something accepts connections on the port; fails early if the process died. */
async function listening(port: number, died: () => boolean, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (died()) throw new Error(`a Temporal service exited while starting:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`a Temporal service did not listen on port ${port} within ${timeoutMs / 1000}s:\n${output()}`);
}

function tail(dir: string, service: ClusterService): string {
  try {
    return readFileSync(join(dir, `${service}.log`), 'utf8')
      .split('\n')
      .slice(-20)
      .join('\n');
  } catch {
    return '(no log)';
  }
}
