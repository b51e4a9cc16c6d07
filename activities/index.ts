import { createModelActivities, type ModelActivityDeps } from './model-activities';
import { createPushActivities } from './push';
import { createRemoteActivities } from './remote';
import { createRemoteToolActivities } from './remote-tools';
import { createSpeakerFunctionActivities } from './speaker-functions';
import { createToolActivities } from './tools';
import type { SpeakerFunctions } from '../src/tools/speaker-functions';
import { createWebhookActivities } from './webhook';
import { ToolRegistry } from '../src/tools/registry';
import type { ToolDefinition } from '../src/tools/define-tool';
import type { ConversationStore } from '../src/store/conversation-store';
import { createConversationActivities } from './conversation';
import { entriesForRemote } from '../src/steps/conversation-views';
import { storeOutcome, storeReply } from '../src/steps/stored-results';
import { withStore } from './store-access';
import { parseInput } from './parse-input';
import { RemoteTurnRequestSchema } from '../src/contract/call-requests';
import type { ModelReply, RemoteTurnRequest, RemoteWaiting, ToolCallRequest, ToolOutcome } from '../src/core/activity-contract';

export interface TeamActivityDeps extends ModelActivityDeps {
  /** Where the runs' conversations live (see src/store). */
  store: ConversationStore;
  /** Function tools the team's agents may call. */
  tools?: readonly ToolDefinition[];
  /** Selector functions and candidate filters the teams name. */
  speakerFunctions?: SpeakerFunctions;
}

/** Every activity the teamRun workflow calls, built from the worker's dependencies. */
export function createTeamActivities(deps: TeamActivityDeps) {
  const { store } = deps;
  const registry = new ToolRegistry(deps.tools);
  const remote = createRemoteActivities(deps.env, deps.heartbeatEveryMs);
  const remoteTools = createRemoteToolActivities(remote);
  return {
    ...createModelActivities(registry, store, deps),
    ...createToolActivities(registry, store, deps.heartbeatEveryMs, deps.memory, deps.mcp, deps.live),
    ...createSpeakerFunctionActivities(deps.speakerFunctions ?? {}, store),
    ...createWebhookActivities(deps.env),
    ...createPushActivities(store, deps.env),
    ...createConversationActivities(store),
    /** A remote agent's turn: the conversation read from the store is sent, the reply stored once. */
    async remoteAgentTurn(input: RemoteTurnRequest): Promise<ModelReply | RemoteWaiting> {
      if (!input.conversation) return remote.remoteAgentTurn(input);
      const request = parseInput(RemoteTurnRequestSchema, input, 'remoteAgentTurn');
      const reply = await remote.sendRemoteTurn({ ...request, messages: await withStore(() => entriesForRemote(store, request)) });
      return 'waiting' in reply ? reply : withStore(() => storeReply(store, input.runId, reply, `remote agent "${input.agent.name}"`));
    },
    /** A remote tool's call; its answer stored once. */
    async callRemoteTool(input: ToolCallRequest): Promise<ToolOutcome> {
      const outcome = await remoteTools.callRemoteTool(input);
      return withStore(() => storeOutcome(store, input.runId, outcome, input.call.name));
    },
  };
}

export type TeamActivities = ReturnType<typeof createTeamActivities>;
