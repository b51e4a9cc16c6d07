import type { McpServerSpec } from './mcp';
import type { HumanAgentSpec, LlmAgentSpec, NestedTeamAgentSpec, RemoteAgentSpec } from './agent';
import type { ModelSettings } from './model-settings';
import { parseTeamSpec } from './parse';
import type { SelectorSpec } from './selector';
import type { TeamPattern, TeamSpec } from './team';
import type { TerminationSpec } from './termination';

/**
 * Builds the same TeamSpec a team file gives, in code:
 *
 *   const spec = team('review').roundRobin().model({ model: 'gpt-4o-mini' })
 *     .agent('writer', { description: 'Writes the draft' })
 *     .terminateWhen(anyOf(textMention('APPROVED'), maxMessages(12)))
 *     .build();
 *
 * `build()` validates with the same schema as files, so both fail the same way.
 */
export class TeamBuilder {
  private readonly spec: TeamSpec;

  constructor(name: string) {
    this.spec = { name, pattern: 'round_robin', agents: [] };
  }

  describe(description: string): this {
    this.spec.description = description;
    return this;
  }
  pattern(pattern: TeamPattern): this {
    this.spec.pattern = pattern;
    return this;
  }
  roundRobin(): this {
    return this.pattern('round_robin');
  }
  selector(options: SelectorSpec = {}): this {
    this.spec.selector = options;
    return this.pattern('selector');
  }
  model(settings: ModelSettings): this {
    this.spec.model = settings;
    return this;
  }
  agent(name: string, options: Omit<LlmAgentSpec, 'name'>): this {
    this.spec.agents.push({ name, ...options });
    return this;
  }
  /** A person in the team: on their turn the run waits for their reply. */
  human(name: string, options: Omit<HumanAgentSpec, 'name' | 'kind'>): this {
    this.spec.agents.push({ name, kind: 'human', ...options });
    return this;
  }
  /** A remote A2A agent in the team, reached through its agent card. */
  remote(name: string, options: Omit<RemoteAgentSpec, 'name' | 'kind'>): this {
    this.spec.agents.push({ name, kind: 'a2a', ...options });
    return this;
  }
  /** Another team as one participant: its turn runs that team, whose final answer is the message. */
  nested(name: string, options: Omit<NestedTeamAgentSpec, 'name' | 'kind'>): this {
    this.spec.agents.push({ name, kind: 'team', ...options });
    return this;
  }
  approval(approval: NonNullable<TeamSpec['approval']> = {}): this {
    this.spec.approval = approval;
    return this;
  }
  handoff(handoff: NonNullable<TeamSpec['handoff']>): this {
    this.spec.handoff = handoff;
    return this;
  }
  notify(notify: NonNullable<TeamSpec['notify']>): this {
    this.spec.notify = notify;
    return this;
  }
  /** How the team answers over A2A, e.g. `{ reply: 'message' }` for a one-shot agent. */
  a2a(options: NonNullable<TeamSpec['a2a']>): this {
    this.spec.a2a = options;
    return this;
  }
  /** What a new task in an existing context starts with (see core/earlier.ts). */
  context(setting: NonNullable<TeamSpec['context']>): this {
    this.spec.context = setting;
    return this;
  }
  /** Memory for every LLM agent that sets none of its own (see memory.ts). */
  memory(memory: NonNullable<TeamSpec['memory']>): this {
    this.spec.memory = memory;
    return this;
  }

  /** An MCP server whose tools every LLM agent may call (see mcp.ts); an agent's own `mcp` add to these. */
  mcp(server: McpServerSpec): this {
    this.spec.mcp = [...(this.spec.mcp ?? []), server];
    return this;
  }

  terminateWhen(condition: TerminationSpec): this {
    this.spec.termination = condition;
    return this;
  }
  maxTurns(turns: number): this {
    this.spec.maxTurns = turns;
    return this;
  }
  build(source = `team "${this.spec.name}" (builder)`): TeamSpec {
    return parseTeamSpec(structuredClone(this.spec), source);
  }
}

export const team = (name: string): TeamBuilder => new TeamBuilder(name);
