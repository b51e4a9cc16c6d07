import type { LlmAgentSpec } from '../spec/agent';
import type { MemoryScope, MemorySpec } from '../spec/memory';
import { DEFAULT_MEMORY_SCOPE, DEFAULT_MEMORY_TOP } from '../spec/plain/memory-settings';
import { hasMemoryTools, memoryOf } from '../spec/plain/memory-settings';
import type { TeamSpec } from '../spec/team';
import type { ModelSettings } from '../spec/model-settings';
import type { AgentToolRef } from './activity-contract';
import type { RunState } from './state';

/**
 * Whose memory an activity reads or writes, worked out by the workflow from the team file and the
 * run's state, as plain data. Memory itself is read and written only by activities: the workflow
 * never sees an entry, so a replay sees what the recorded activity results say.
 */
export interface MemoryRequest {
  team: string;
  scope: MemoryScope;
  /**
   * The scope's key: the team's name, the run's context (else the run id), or the caller's user
   * key; null for `user` when the run was started without one (the activity refuses that).
   */
  key: string | null;
  /** Entries added before each model call. */
  top: number;
  /** With it, similarity search through this endpoint (its key named, never written). */
  embeddings?: Pick<ModelSettings, 'model' | 'baseUrl' | 'apiKeyEnv'> & { model: string };
}

/** The agent's memory as its activities need it; undefined when it has none. */
export function memoryRequest(team: TeamSpec, state: RunState, agent: LlmAgentSpec): MemoryRequest | undefined {
  const memory = memoryOf(team, agent);
  if (!memory) return undefined;
  const scope = memory.scope ?? DEFAULT_MEMORY_SCOPE;
  return {
    team: team.name,
    scope,
    key: scopeKey(scope, team, state),
    top: memory.top ?? DEFAULT_MEMORY_TOP,
    ...(memory.embeddings ? { embeddings: embeddingsEndpoint(memory, team, agent) } : {}),
  };
}

function scopeKey(scope: MemoryScope, team: TeamSpec, state: RunState): string | null {
  if (scope === 'team') return team.name;
  if (scope === 'context') return state.contextId ?? state.runId;
  return state.user ?? null;
}

/** The embeddings endpoint: what the memory block names, else the agent's (then the team's) endpoint. */
function embeddingsEndpoint(memory: MemorySpec, team: TeamSpec, agent: LlmAgentSpec): NonNullable<MemoryRequest['embeddings']> {
  const own = memory.embeddings!;
  const baseUrl = own.baseUrl ?? agent.baseUrl ?? team.model?.baseUrl;
  const apiKeyEnv = own.apiKeyEnv ?? agent.apiKeyEnv ?? team.model?.apiKeyEnv;
  return { model: own.model, ...(baseUrl ? { baseUrl } : {}), ...(apiKeyEnv ? { apiKeyEnv } : {}) };
}

/** The built-in memory tools the agent is offered: none without memory or with `tools: false`. */
export function memoryToolRefs(team: TeamSpec, agent: LlmAgentSpec): AgentToolRef[] {
  if (!hasMemoryTools(memoryOf(team, agent))) return [];
  return [
    { kind: 'memory', name: 'remember' },
    { kind: 'memory', name: 'recall' },
  ];
}

/**
 * Why a run of this team cannot start as asked, or null: an agent keeps memory per user and no
 * user key was given. Checked by every path that starts runs, before anything is started.
 */
export function missingUserKey(team: TeamSpec, user: string | undefined | null): string | null {
  if (user) return null;
  const needs = team.agents.find((a) => (a.kind === undefined || a.kind === 'llm') && memoryOf(team, a)?.scope === 'user');
  if (!needs) return null;
  return `team "${team.name}": agent "${needs.name}" keeps memory per user (memory.scope: user), and no user key was given`;
}
