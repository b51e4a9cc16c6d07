/**
 * `durable-teams/worker`: run teams' workflows and activities on a Temporal task queue, with the
 * tools and selector functions of this process.
 */
export { createTeamWorker, bundleTeamWorkflows, type TeamWorkerOptions } from '../worker/team-worker';
export { createWorkerOptions } from '../worker/worker-options';
export { defineTool, ToolError, type ToolContext, type ToolDefinition } from '../tools/define-tool';
export {
  SpeakerFunctionError,
  type CandidateFilter,
  type SelectorFunction,
  type SpeakerContext,
  type SpeakerFunctions,
} from '../tools/speaker-functions';
export { ModelClients, type CallMeta, type CompleteOptions } from '../model/chat-client';
export { ModelConfigError, type ModelDefaults } from '../model/endpoint';
export { ModelCallError, type ModelFailure } from '../model/errors';
