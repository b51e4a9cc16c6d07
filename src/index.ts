/**
 * durable-teams as a library: define a team (the builder, or a team file), run it durably on
 * Temporal or in this process. Named exports only, each chosen: the rest of src/ is the
 * project's own and may change in any release. Focused entry points say what a process needs:
 * `durable-teams/client`, `durable-teams/worker`, `durable-teams/testing`. Workflow code lives in
 * workflows/ and is loaded by the worker; nothing here is meant to be imported from a workflow.
 */
export * from './spec/public';
export { loadTeamFile } from './files/team-file';
export { runLocal, type LocalRunOptions } from './local/run-local';
export * from './entry/client';
export * from './entry/worker';
export { startDevServer, locateTemporalCli, type DevServer, type DevServerOptions } from './temporal/dev-server';
