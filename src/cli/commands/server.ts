import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startDevServer } from '../../temporal/dev-server';
import { positiveInt } from '../common';
import { outputFrom } from '../common';
import { untilInterrupted } from '../wait-for-signal';

interface ServerFlags {
  port: number;
  ip: string;
  db: string;
  memory?: boolean;
  ui: boolean;
}

export const DEFAULT_DB = '.durable-teams/temporal.db';

export function registerServer(program: Command): void {
  program
    .command('server')
    .description('run a local Temporal dev server (SQLite, Web UI) until Ctrl-C')
    .option('--port <port>', 'gRPC port', positiveInt('--port'), 7233)
    .option('--ip <ip>', 'address to bind', '127.0.0.1')
    .option('--db <file>', 'SQLite file that keeps runs across restarts', DEFAULT_DB)
    .option('--memory', 'keep runs in memory only (lost when the server stops)')
    .option('--no-ui', 'no Web UI')
    .action(async (flags: ServerFlags) => {
      const out = outputFrom({});
      const dbFile = flags.memory ? null : resolve(flags.db);
      out.note('starting the Temporal dev server...');
      const server = await startDevServer({
        ip: flags.ip,
        port: flags.port,
        dbFile,
        ui: flags.ui,
        logLevel: 'warn',
        onOutput: (t) => process.stderr.write(t),
      });
      out.note(`Temporal dev server on ${server.address}${dbFile ? `, runs kept in ${dbFile}` : ', in memory'}`);
      if (server.uiUrl) out.note(`Web UI: ${server.uiUrl}`);
      out.note('Ctrl-C stops it');
      await untilInterrupted();
      out.note('stopping the server...');
      await server.stop();
    });
}
