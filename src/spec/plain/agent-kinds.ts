// Like all of spec/plain/, no Zod here: core and the workflows load these at run time.
import type { AgentSpec, HumanAgentSpec, LlmAgentSpec, NestedTeamAgentSpec, RemoteAgentSpec } from '../agent';

/** Which kind of agent a checked spec names: `kind`, with no kind meaning an LLM agent. */
export function isRemote(agent: AgentSpec): agent is RemoteAgentSpec {
  return agent.kind === 'a2a';
}

export function isNestedTeam(agent: AgentSpec): agent is NestedTeamAgentSpec {
  return agent.kind === 'team';
}

export function isHuman(agent: AgentSpec): agent is HumanAgentSpec {
  return agent.kind === 'human';
}

export function isLlm(agent: AgentSpec): agent is LlmAgentSpec {
  return agent.kind === undefined || agent.kind === 'llm';
}
