import type { Command } from 'commander';
import { loadScript, startScriptedModelServer } from '../../testing/scripted-model';
import { outputFrom, portNumber } from '../common';
import { untilInterrupted } from '../wait-for-signal';

export function registerScriptedModel(program: Command): void {
  program
    .command('scripted-model')
    .description('serve an OpenAI-compatible model that answers from a script (for demos and tests)')
    .requiredOption('--script <file>', 'the script (YAML or JSON); see examples/scripts')
    .option('--port <port>', 'port (default: a free one)', portNumber('--port'), 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (flags: { script: string; port: number; host: string }) => {
      const out = outputFrom({});
      const server = await startScriptedModelServer({ script: loadScript(flags.script), port: flags.port, host: flags.host });
      out.line(server.baseUrl);
      out.note(`scripted model serving ${flags.script} at ${server.baseUrl}; point OPENAI_BASE_URL there. Ctrl-C stops it`);
      await untilInterrupted();
      await server.close();
    });
}
