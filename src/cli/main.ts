import { Command, CommanderError } from 'commander';
import { CliError } from './output';
import { packageVersion } from './version';
import { printable, printableLines } from '../core/display-text';

type Register = (program: Command) => void;

/**
 * Each command's module, by the command names it registers, loaded only when one of them runs:
 * a command pays for what it uses (`status` loads no web server, `serve` no worker), which keeps
 * every invocation of the CLI quick to start. `--help` and an unknown command load them all.
 */
const COMMANDS: [names: string[], load: () => Register][] = [
  [['server'], () => require('./commands/server').registerServer],
  [['search-attributes'], () => require('./commands/search-attributes').registerSearchAttributesCommand],
  [['worker'], () => require('./commands/worker').registerWorker],
  [['run'], () => require('./commands/run').registerRun],
  [['fork'], () => require('./commands/fork').registerFork],
  [['follow'], () => require('./commands/follow').registerFollow],
  [['status'], () => require('./commands/status').registerStatus],
  [['transcript'], () => require('./commands/transcript').registerTranscript],
  [['cancel', 'stop'], () => require('./commands/cancel').registerCancel],
  [['input', 'approve', 'reject', 'request-changes', 'budget'], () => require('./commands/answer').registerAnswers],
  [['list'], () => require('./commands/list').registerList],
  [['scripted-model'], () => require('./commands/scripted-model').registerScriptedModel],
  [['demo'], () => require('./commands/demo').registerDemo],
  [['serve'], () => require('./commands/serve').registerServe],
  [['dev'], () => require('./commands/dev').registerDev],
  [['discover'], () => require('./commands/discover').registerDiscover],
  [['codec-server'], () => require('./commands/codec-server').registerCodecServer],
  [['prune'], () => require('./commands/prune').registerPrune],
  [['memory'], () => require('./commands/memory').registerMemory],
  [['deploy'], () => require('./commands/deploy').registerDeploy],
];

/** The program with the commands `argv` may run: the one it names, or all of them (for help and errors). */
export function buildProgram(argv: string[] = []): Command {
  const program = new Command('durable-teams')
    .description('Multi-agent team conversations as durable Temporal workflows')
    .version(packageVersion())
    .showHelpAfterError('(see --help)')
    .exitOverride();
  const args = argv.slice(2);
  const named = args.find((arg) => !arg.startsWith('-'));
  const one = COMMANDS.find(([names]) => named !== undefined && names.includes(named));
  // `--version` alone needs no command at all.
  const onlyVersion = named === undefined && args.some((arg) => arg === '--version' || arg === '-V');
  for (const [, load] of one ? [one] : onlyVersion ? [] : COMMANDS) load()(program);
  return program;
}

/**
 * Errors whose message is all a user needs, printed as is with no stack trace: known by name, so
 * that telling them apart loads none of the modules that define them.
 */
const EXPECTED = new Set([
  'ConfigError',
  'CodecKeysError',
  'AuthConfigError',
  'NoWorkerError',
  'SpecError',
  'ScriptError',
  'TemporalUnavailableError',
  'RunNotFoundError',
  'RunAlreadyExistsError',
  'RunEndedError',
  'InvalidRequestError',
  'ForkRefusal',
  'ModelConfigError',
  'StoreConfigError',
  'StoreUnavailableError',
  'StoreOperationError',
  'DeploymentNotFoundError',
]);

/** Runs the CLI; resolves to the process exit code: 0 success, 1 failure, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, successfully
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      if (err.message) process.stderr.write(`error: ${printableLines(err.message)}\n`);
      return err.exitCode;
    }
    if (err instanceof Error && EXPECTED.has(err.name)) {
      process.stderr.write(`error: ${printableLines((err as Error).message)}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${printable(message.split('\n')[0]!)}\n`);
    if (process.env.DURABLE_TEAMS_DEBUG) console.error(err);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => process.exit(code));
}
