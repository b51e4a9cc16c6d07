import { ConfigError } from '../config/environment';
import { CodecKeysError } from '../temporal/codec/codec-keys';
import { registerCodecServer } from './commands/codec-server';
import { Command, CommanderError } from 'commander';
import { SpecError } from '../spec/errors';
import { ScriptError } from '../testing/scripted-model';
import {
  InvalidRequestError,
  NoWorkerError,
  RunAlreadyExistsError,
  RunEndedError,
  RunNotFoundError,
  TemporalUnavailableError,
} from '../temporal/errors';
import { ModelConfigError } from '../model/endpoint';
import { registerAnswers } from './commands/answer';
import { registerCancel } from './commands/cancel';
import { registerDemo } from './commands/demo';
import { registerList } from './commands/list';
import { registerRun } from './commands/run';
import { registerFork } from './commands/fork';
import { ForkRefusal } from '../core/fork';
import { registerFollow } from './commands/follow';
import { registerScriptedModel } from './commands/scripted-model';
import { registerSearchAttributesCommand } from './commands/search-attributes';
import { registerServer } from './commands/server';
import { registerServe } from './commands/serve';
import { registerDev } from './commands/dev';
import { registerStatus } from './commands/status';
import { registerTranscript } from './commands/transcript';
import { registerWorker } from './commands/worker';
import { registerDiscover } from './commands/discover';
import { registerPrune } from './commands/prune';
import { registerMemory } from './commands/memory';
import { StoreConfigError, StoreOperationError, StoreUnavailableError } from '../store/errors';
import { CliError } from './output';
import { AuthConfigError } from '../a2a/auth';
import { packageVersion } from './version';
import { printable, printableLines } from '../core/display-text';

export function buildProgram(): Command {
  const program = new Command('durable-teams')
    .description('Multi-agent team conversations as durable Temporal workflows')
    .version(packageVersion())
    .showHelpAfterError('(see --help)')
    .exitOverride();
  for (const register of [
    registerServer,
    registerSearchAttributesCommand,
    registerWorker,
    registerRun,
    registerFork,
    registerFollow,
    registerStatus,
    registerTranscript,
    registerCancel,
    registerAnswers,
    registerList,
    registerScriptedModel,
    registerDemo,
    registerServe,
    registerDev,
    registerDiscover,
    registerCodecServer,
    registerPrune,
    registerMemory,
  ]) {
    register(program);
  }
  return program;
}

/** Errors whose message is all a user needs: printed as is, with no stack trace. */
const EXPECTED = [
  ConfigError,
  CodecKeysError,
  AuthConfigError,
  NoWorkerError,
  SpecError,
  ScriptError,
  TemporalUnavailableError,
  RunNotFoundError,
  RunAlreadyExistsError,
  RunEndedError,
  InvalidRequestError,
  ForkRefusal,
  ModelConfigError,
  StoreConfigError,
  StoreUnavailableError,
  StoreOperationError,
];

/** Runs the CLI; resolves to the process exit code: 0 success, 1 failure, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
    if (EXPECTED.some((type) => err instanceof type)) {
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
