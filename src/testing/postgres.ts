import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:PORT/durable_teams (trust authentication: any password is accepted). */
  url: string;
  port: number;
  /** The folder that holds the cluster (data/) and its socket and log. */
  dir: string;
  /** Stops the server (fast shutdown: connections are cut), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and deletes its folder. */
  destroy(): Promise<void>;
}

const HOW_TO_INSTALL = 'install the PostgreSQL server (apt-get install postgresql) and run the tests as root';

/**
 * A real PostgreSQL server for tests, on a free loopback port, in a temp folder: Debian's server
 * binaries run as the `postgres` user (the server refuses to run as root). Never a mock: the
 * store's tests stop and start it to see the backend survive an outage.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinaries();
  if (process.getuid?.() !== 0) throw new Error(`the test PostgreSQL is started as the postgres user, which needs root; ${HOW_TO_INSTALL}`);
  const owner = await postgresUser();

  const dir = mkdtempSync(join(tmpdir(), 'durable-teams-pg-'));
  chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const asPostgres = (file: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(bin, file), ...args], { cwd: dir, timeout: 60_000 });

  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  // -F: no fsync; this server's data lives as long as one test file.
  const serverOptions = `-p ${port} -k ${dir} -h 127.0.0.1 -F`;
  const start = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await start();

  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    await admin.query('CREATE DATABASE durable_teams');
  } finally {
    await admin.end();
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/durable_teams`,
    port,
    dir,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    destroy: async () => {
      if (existsSync(join(data, 'postmaster.pid'))) await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bin folder of the newest PostgreSQL server installed the Debian way. */
function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL server binaries under ${root}/*/bin (initdb, pg_ctl); ${HOW_TO_INSTALL}`);
  return join(root, newest, 'bin');
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(`there is no postgres user on this machine; ${HOW_TO_INSTALL}, which creates it`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
