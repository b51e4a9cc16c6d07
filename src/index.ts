/**
 * durable-teams as a library. Workflow code lives in workflows/ and is loaded by the worker;
 * nothing here is meant to be imported from a workflow.
 */
export * from './spec';
export * from './core';
export { loadTeamFile } from './files/team-file';
export * from './tools';
export { runLocal, type LocalRunOptions } from './local/run-local';
export { ModelClients, type CallMeta, type CompleteOptions } from './model/chat-client';
export type { ClientReply, ModelDelta } from './model/reply-stream';
export { ModelCallError, type ModelFailure } from './model/errors';
export { ModelConfigError, type ModelDefaults } from './model/endpoint';
export { TeamClient, MAX_TASK_CHARS, type StartOptions, type RunListing, type ForkOptions } from './temporal/team-client';
export { createTeamWorker, bundleTeamWorkflows, type TeamWorkerOptions } from './temporal/team-worker';
export { createWorkerOptions } from './temporal/worker-options';
export { startDevServer, locateTemporalCli, type DevServer, type DevServerOptions } from './temporal/dev-server';
export { temporalSettings, type TemporalSettings } from './temporal/config';
export * from './temporal/errors';
export type { TeamRunInput, TeamRunResult, TeamRunOptions } from '../workflows/definitions';
