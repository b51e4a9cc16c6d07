import type { Command } from 'commander';
import { startCodecServer } from '../../temporal/codec/codec-server';
import { payloadCodecFromEnv } from '../../temporal/codec/data-converter';
import { CODEC_KEYS_ENV } from '../../temporal/codec/codec-keys';
import { outputFrom, portNumber } from '../common';
import { CliError } from '../output';
import { untilInterrupted } from '../wait-for-signal';

interface CodecServerFlags {
  port: number;
  host: string;
  corsOrigin: string[];
  tokenEnv?: string;
}

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description(`serve the payload codec (${CODEC_KEYS_ENV}) for the Temporal Web UI and CLI: POST /encode, /decode`)
    .option('--port <port>', 'port (0 for a free one)', portNumber('--port'), 8888)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--cors-origin <url...>', 'origins allowed from a browser: the Web UI, e.g. http://localhost:8080', [])
    .option('--token-env <name>', 'environment variable with a bearer token every call must carry (the UI\'s "pass access token")')
    .action(async (flags: CodecServerFlags) => {
      const out = outputFrom({});
      const codec = payloadCodecFromEnv();
      if (!codec) throw new CliError(`${CODEC_KEYS_ENV} is not set: there is nothing to decode with; set the same keys as the workers'`);
      let token: string | null = null;
      if (flags.tokenEnv) {
        token = process.env[flags.tokenEnv]?.trim() || null;
        if (!token) throw new CliError(`--token-env names ${flags.tokenEnv}, which is not set`);
      }
      const server = await startCodecServer({ codec, host: flags.host, port: flags.port, corsOrigins: flags.corsOrigin, token }).catch(
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'EADDRINUSE') throw new CliError(`port ${flags.port} on ${flags.host} is in use; pick another with --port`);
          throw err;
        },
      );
      out.line(server.url);
      out.note(
        `codec endpoint on ${server.url}: in the Web UI's Data Encoder settings, or \`temporal workflow show --codec-endpoint ${server.url}\`. Ctrl-C stops it`,
      );
      if (flags.host !== '127.0.0.1' && !token)
        out.note(`warning: serving on ${flags.host} without --token-env; anyone who reaches it can decrypt payloads`);
      await untilInterrupted();
      await server.close();
    });
}
