import type { Command } from 'commander';
import { loadScript, startScriptedModelServer } from '../../testing/scripted-model';
import { nonNegativeInt, outputFrom, portNumber } from '../common';
import { untilInterrupted } from '../wait-for-signal';

export function registerScriptedModel(program: Command): void {
  program
    .command('scripted-model')
    .description('serve an OpenAI-compatible model that answers from a script (for demos and tests)')
    .requiredOption('--script <file>', 'the script (YAML or JSON); see examples/scripts')
    .option('--port <port>', 'port (default: a free one)', portNumber('--port'), 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--token-delay <ms>',
      'ms before each word of a streamed reply, where the script sets no tokenDelayMs',
      nonNegativeInt('--token-delay'),
      0,
    )
    .action(async (flags: { script: string; port: number; host: string; tokenDelay: number }) => {
      const out = outputFrom({});
      const script = loadScript(flags.script);
      const server = await startScriptedModelServer({ script, port: flags.port, host: flags.host, tokenDelayMs: flags.tokenDelay });
      out.line(server.baseUrl);
      out.note(`scripted model serving ${flags.script} at ${server.baseUrl}; point OPENAI_BASE_URL there. Ctrl-C stops it`);
      await untilInterrupted();
      await server.close();
    });
}
