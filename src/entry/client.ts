/**
 * `durable-teams/client`: start, follow, answer, fork and list runs on Temporal from any process
 * (a web server, a script, a test). It loads no worker code.
 */
export { TeamClient, MAX_TASK_CHARS, type StartOptions, type ForkOptions } from '../client/team-client';
export type {
  AnswerInput,
  AnswerResult,
  ListOptions,
  RunListing,
  RunReport,
  RunStart,
  StartHook,
  StartOutcome,
} from '../client/team-client';
/** @deprecated The old name of RunReport, kept for one release ("record" names a message's stored record). */
export type RunRecord = import('../client/team-client').RunReport;
export { temporalSettings, DEFAULT_ADDRESS, DEFAULT_NAMESPACE, DEFAULT_TASK_QUEUE, type TemporalSettings } from '../temporal/config';
export {
  ContextBusyError,
  InvalidRequestError,
  NoWorkerError,
  RunAlreadyExistsError,
  RunEndedError,
  RunNotFoundError,
  RunStalledError,
  TemporalUnavailableError,
} from '../temporal/errors';
export * from './run-types';
