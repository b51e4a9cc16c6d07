import type { LlmAgentSpec, NestedTeamAgentSpec, RemoteAgentSpec } from '../spec/agent';
import { cardEndpointUrls } from '../spec/plain/card-endpoints';
import type { ModelSettings } from '../spec/model-settings';
import type { TeamSpec } from '../spec/team';
import {
  DEFAULT_REMOTE_POLL_MS,
  type AgentTurnRequest,
  type ConversationEntry,
  type NestedTurnRequest,
  type RemoteTurnRequest,
  type SendMode,
} from './activity-contract';
import { durationToMs } from './duration';
import { isConversational, type ChatMessage } from './messages';
import type { RunState } from './state';
import { conversationRef } from './stored-messages';
import { memoryRequest } from './memory-request';

/**
 * The workflow's side of the activity contract: the requests it builds from a run's state, and
 * the views of the conversation that the activities (which read it from the store) build alike.
 */

/** The agent's own settings over the team's defaults. */
export function mergeSettings(defaults: ModelSettings | undefined, own: ModelSettings): ModelSettings {
  const pick = <K extends keyof ModelSettings>(key: K) => own[key] ?? defaults?.[key];
  const merged: ModelSettings = {
    model: pick('model'),
    baseUrl: pick('baseUrl'),
    apiKeyEnv: pick('apiKeyEnv'),
    temperature: pick('temperature'),
    maxTokens: pick('maxTokens'),
    files: pick('files'),
  };
  // Drop the unset keys: undefined does not survive JSON and would only add noise to history.
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as ModelSettings;
}

/**
 * The conversation from one agent's seat: every conversational message, plus its own tool calls
 * and results (other agents' tool use is theirs alone, as AutoGen keeps inner events).
 */
export function agentView(messages: readonly ChatMessage[], agent: string): ConversationEntry[] {
  const view: ConversationEntry[] = [];
  for (const m of messages) {
    if (isConversational(m)) view.push(entryOf(m));
    else if (m.source === agent) {
      view.push({
        source: m.source,
        content: m.content,
        kind: m.kind as 'tool_call' | 'tool_result',
        ...(m.toolCalls ? { toolCalls: m.toolCalls } : {}),
        ...(m.toolResults ? { toolResults: m.toolResults } : {}),
      });
    }
  }
  return view;
}

export function agentTurnRequest(team: TeamSpec, state: RunState, agent: LlmAgentSpec): AgentTurnRequest {
  const memory = memoryRequest(team, state, agent);
  return {
    v: 1,
    runId: state.runId,
    turn: state.turn,
    agent: {
      name: agent.name,
      description: agent.description,
      systemMessage: agent.systemMessage ?? null,
      settings: mergeSettings(team.model, agent),
      ...(agent.output ? { output: agent.output } : {}),
    },
    conversation: conversationRef(state),
    ...(agent.context ? { context: agent.context } : {}),
    ...(memory ? { memory } : {}),
  };
}

/** What every agent sees: the conversational messages, no one's tool use. */
export function sharedView(messages: readonly ChatMessage[]): ConversationEntry[] {
  return messages.filter(isConversational).map(entryOf);
}

/** A conversational message as an entry, with what came with it. */
function entryOf(m: ChatMessage): ConversationEntry {
  return { source: m.source, content: m.content, ...(m.attachments?.length ? { attachments: m.attachments } : {}) };
}

export function entriesToSend(messages: readonly ChatMessage[], send: SendMode | undefined): ConversationEntry[] {
  const shared = sharedView(messages);
  return send === 'last' ? shared.slice(-1) : shared;
}

/** The conversation as one task text: who said what, in order (a single message as it is). */
export function conversationAsText(entries: ConversationEntry[]): string {
  if (entries.length === 1) return entries[0]!.content;
  return entries.map((m) => `[${m.source}] ${m.content}`).join('\n\n');
}

export function nestedTurnRequest(state: RunState, agent: NestedTeamAgentSpec): NestedTurnRequest {
  return {
    v: 1,
    runId: state.runId,
    turn: state.turn,
    agent: agent.name,
    team: agent.team,
    conversation: conversationRef(state),
    send: agent.send ?? 'conversation',
    childRunId: `${state.runId}/turn-${state.turn}/${agent.name}`,
  };
}

export function remoteTurnRequest(state: RunState, agent: RemoteAgentSpec): RemoteTurnRequest {
  return {
    v: 1,
    runId: state.runId,
    turn: state.turn,
    messageId: `${state.runId}/turn-${state.turn}/${agent.name}`,
    contextId: `${state.runId}/${agent.name}`,
    agent: {
      name: agent.name,
      ...(typeof agent.card === 'string' ? { card: agent.card } : { card: cardEndpointUrls(agent.card)[0] ?? '', inlineCard: agent.card }),
      skill: agent.skill ?? null,
      auth: agent.auth ?? null,
      allowHosts: agent.allowHosts ?? null,
      pollIntervalMs: (agent.pollInterval !== undefined ? durationToMs(agent.pollInterval) : undefined) ?? DEFAULT_REMOTE_POLL_MS,
    },
    conversation: conversationRef(state),
    send: agent.send ?? 'conversation',
  };
}
