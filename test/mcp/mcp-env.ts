import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/teams';
import { freePort } from '../../src/temporal/dev-server';

/** The third-party MCP servers the tests use, as installed from npm. */
export const FILESYSTEM_SERVER = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
/** Our own stdio server for the crash and fault tests: see test/fixtures/mcp/ledger-server.js. */
export const LEDGER_SERVER = join(ROOT, 'test/fixtures/mcp/ledger-server.js');

/** One line of the ledger server's log: a call it took (or, with `cancelled`, one it was told to stop). */
export interface LedgerEntry {
  tool: string;
  key: string | null;
  args?: { text: string };
  pid?: number;
  cancelled?: boolean;
}

/** What the ledger server logged at `path` so far. */
export function ledgerEntries(path: string): LedgerEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LedgerEntry);
}

const EVERYTHING_SERVER = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

export interface HttpMcpServer {
  url: string;
  stop(): Promise<void>;
}

/** `@modelcontextprotocol/server-everything` over Streamable HTTP, on a free loopback port. */
export async function startEverythingServer(port?: number): Promise<HttpMcpServer> {
  port ??= await freePort();
  const child: ChildProcess = spawn(process.execPath, [EVERYTHING_SERVER, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let said = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes(`listening on port ${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code}) before listening:\n${said}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
