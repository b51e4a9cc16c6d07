import { z } from 'zod';
import { McpServerSchema, mcpServersOf, mcpToolName, type McpServerSpec } from './mcp';
import {
  AGENT_KIND_ERROR,
  HumanAgentSchema,
  LlmAgentSchema,
  RemoteAgentSchema,
  RESERVED_NAMES,
  isHuman,
  type LlmAgentSpec,
  isLlm,
  nestedTeamShape,
  type AgentSpec,
} from './agent';
import { A2AOptionsSchema, type A2AOptionsSpec } from './a2a-options';
import type { ContextSetting } from '../core/earlier';
import { ApprovalSchema, HandoffSchema, type ApprovalSpec, type HandoffSpec, type HumanTimeoutSpec } from './human';
import { ModelSettingsSchema, type ModelSettings } from './model-settings';
import { NotifySchema, type NotifySpec } from './notify';
import { SelectorSchema, type SelectorSpec } from './selector';
import { TerminationSchema, walkTermination, type TerminationSpec } from './termination';
import { handoffEntry, isRemoteTool, toolEntry, type ToolUseSpec } from './tools';
import { MemorySchema, type MemorySpec } from './memory';
import { checkMemoryTools } from './memory-checks';
import { BudgetSchema, type BudgetSpec } from './budget';
import { checkBudget } from './budget-checks';
import { DeploysSchema, type DeploysSpec } from './deploys';

export type TeamPattern = 'round_robin' | 'selector' | 'swarm';

/**
 * A team as a user writes it in a team file. Plain data: it is the workflow's input and lives
 * in the run's history, so it never holds a secret, a function or a class instance.
 */
export interface TeamSpec {
  version?: 1;
  /** Letters, digits, ".", "_" and "-": it prefixes run ids. */
  name: string;
  description?: string;
  /** Keywords and example tasks, shown to A2A clients as the team's skill. */
  tags?: string[];
  examples?: string[];
  /**
   * round_robin: agents speak in the listed order; selector: a model picks each next speaker;
   * swarm: the first agent speaks until it hands off (a transfer_to_<agent> tool), and so on.
   */
  pattern: TeamPattern;
  /** Defaults for every agent (and the selector) that does not set its own. */
  model?: ModelSettings;
  agents: AgentSpec[];
  selector?: SelectorSpec;
  termination?: TerminationSpec;
  /** Agent turns at most; the run completes when reached. */
  maxTurns?: number;
  /** A person approves the result (and, with `when`, checkpoints along the way). */
  approval?: ApprovalSpec;
  /** A phrase with which an agent hands the conversation to a person. */
  handoff?: HandoffSpec;
  /** A webhook told when the run waits on a person and when it finishes. */
  notify?: NotifySpec;
  /** How the team answers over A2A (see a2a-options.ts). */
  a2a?: A2AOptionsSpec;
  /**
   * What a new task in an existing context starts with: the earlier tasks' whole conversations
   * (`full`, the default), their tasks and answers only, or nothing. See core/earlier.ts.
   */
  context?: ContextSetting;
  /** Long-term memory for every LLM agent that sets none of its own (see memory.ts). */
  memory?: MemorySpec;
  /** MCP servers whose tools every LLM agent may call (see mcp.ts); an agent's own of one name win. */
  mcp?: McpServerSpec[];
  /** How much the run may spend on model calls, checked before each one (see budget.ts). */
  budget?: BudgetSpec;
  /** Whether a run moves to a new build of the workers at its safe points (see deploys.ts). */
  deploys?: DeploysSpec;
}

export const TEAM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Every kind of participant; a nested team's `team` is a whole team, checked like this one. */
const AgentSchema: z.ZodType<AgentSpec> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [LlmAgentSchema, HumanAgentSchema, RemoteAgentSchema, z.strictObject({ ...nestedTeamShape, team: TeamSchema })],
    {
      error: (issue) => (issue.code === 'invalid_union' ? AGENT_KIND_ERROR : undefined),
    },
  ),
) as z.ZodType<AgentSpec>;

const TeamObjectSchema = z.strictObject({
  version: z.literal(1).optional(),
  name: z.string().regex(TEAM_NAME_PATTERN, {
    message: 'expected letters, digits, ".", "_" or "-" (64 characters at most), e.g. "review-team"',
  }),
  description: z.string().optional(),
  tags: z.array(z.string().min(1)).optional(),
  examples: z.array(z.string().min(1)).optional(),
  pattern: z.enum(['round_robin', 'selector', 'swarm'], { error: 'expected "round_robin", "selector" or "swarm"' }),
  model: ModelSettingsSchema.optional(),
  agents: z.array(AgentSchema).min(1, 'a team needs at least one agent'),
  selector: SelectorSchema.optional(),
  termination: TerminationSchema.optional(),
  maxTurns: z.number().int().positive().optional(),
  approval: ApprovalSchema.optional(),
  handoff: HandoffSchema.optional(),
  notify: NotifySchema.optional(),
  a2a: A2AOptionsSchema.optional(),
  context: z.enum(['full', 'answers', 'none'], { error: 'expected "full", "answers" or "none"' }).optional(),
  memory: MemorySchema.optional(),
  mcp: z.array(McpServerSchema).optional(),
  budget: BudgetSchema.optional(),
  deploys: DeploysSchema.optional(),
});

/** Checks that need the whole team: names that must exist, be unique, or fit the pattern. */
function checkTeam(team: TeamSpec, ctx: z.RefinementCtx): void {
  const report = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const names = team.agents.map((agent) => agent.name);
  const known = new Set(names);
  const list = names.join(', ');

  team.agents.forEach((agent, i) => {
    if (names.indexOf(agent.name) !== i) report(['agents', i, 'name'], `duplicate agent name "${agent.name}"`);
    if ((RESERVED_NAMES as readonly string[]).includes(agent.name)) {
      report(['agents', i, 'name'], `"${agent.name}" is reserved; choose another name`);
    }
    if (isHuman(agent)) {
      checkInputTimeout(agent.timeout, ['agents', i, 'timeout'], report);
    } else if (isLlm(agent)) {
      if (!agent.model && !team.model?.model) report(['agents', i, 'model'], 'no model named: set it here or in the team\'s "model.model"');
      checkTools(agent.tools ?? [], ['agents', i, 'tools'], report);
      checkMcpServers(team, agent, i, report);
      (agent.handoffs ?? []).forEach((handoff, j) => {
        const target = handoffEntry(handoff).target;
        const at = ['agents', i, 'handoffs', j];
        if (team.pattern !== 'swarm') report(at, 'handoffs are for the swarm pattern: set pattern: swarm, or remove them');
        else if (target === agent.name) report(at, 'an agent cannot hand off to itself');
        else if (target !== 'user' && !known.has(target)) report(at, `unknown agent "${target}"; the agents are ${list} (and "user")`);
      });
    }
  });

  checkMemoryTools(team, report);
  checkBudget(team, report);

  if (!team.termination && !team.maxTurns) {
    report(['termination'], 'the team would never stop: add a termination condition or "maxTurns"');
  }
  const conditions = [
    ...(team.termination ? [{ root: team.termination, at: ['termination'] }] : []),
    ...(team.approval?.when ? [{ root: team.approval.when, at: ['approval', 'when'] }] : []),
  ];
  for (const { root, at } of conditions) {
    for (const { spec, path } of walkTermination(root, at)) {
      if ((spec.type === 'text_mention' || spec.type === 'source_match') && spec.sources) {
        spec.sources.forEach((source, j) => {
          if (!known.has(source) && source !== 'user') {
            report([...path, 'sources', j], `unknown agent "${source}"; the agents are ${list} (and "user")`);
          }
        });
      }
      if (spec.type === 'stop_message' && !team.agents.some((agent) => isLlm(agent) && agent.stopSignal)) {
        report(path, 'no agent has a "stopSignal", so no stop message can ever arrive');
      }
    }
  }

  if (team.handoff) {
    const to = team.handoff.to;
    if (to !== undefined && to !== 'user' && !team.agents.some((a) => a.name === to && isHuman(a))) {
      report(['handoff', 'to'], `"${to}" is not a human agent of the team; name one (kind: human) or leave it out for "user"`);
    }
    checkInputTimeout(team.handoff.timeout, ['handoff', 'timeout'], report);
  }
  if (team.approval && team.approval.beforeCompletion === false && !team.approval.when) {
    report(['approval'], 'this approval never asks: set `when`, or leave beforeCompletion at its default (true)');
  }

  if (team.pattern === 'swarm') {
    const first = team.agents[0];
    if (first && isHuman(first))
      report(['agents', 0], 'a swarm starts with its first agent, which must be an LLM or remote agent, not a person');
    if (!team.agents.some((a) => isLlm(a) && a.handoffs?.length))
      report(['agents'], 'no agent of the swarm has `handoffs`, so the first would speak alone: list whom each may hand off to');
  }
  for (const { root, at } of conditions) {
    for (const { spec, path } of walkTermination(root, at)) {
      if (spec.type === 'handoff' && spec.target !== 'user' && !known.has(spec.target)) {
        report([...path, 'target'], `unknown agent "${spec.target}"; the agents are ${list} (and "user")`);
      }
    }
  }

  if (team.pattern === 'selector') {
    if (team.agents.length < 2) report(['agents'], 'the selector pattern needs at least two agents');
    const selectorModel = team.selector?.model ?? team.model?.model;
    if (!selectorModel) report(['selector', 'model'], 'no model for the selector: set "selector.model" or "model.model"');
    for (const [from, targets] of Object.entries(team.selector?.transitions ?? {})) {
      if (!known.has(from)) report(['selector', 'transitions', from], `unknown agent "${from}"; the agents are ${list}`);
      targets.forEach((to, j) => {
        if (!known.has(to)) report(['selector', 'transitions', from, j], `unknown agent "${to}"; the agents are ${list}`);
      });
    }
  } else if (team.selector) {
    report(['selector'], 'only the "selector" pattern uses this block; remove it or set pattern: selector');
  }
}

/** Tool names the model calls must be unique; a remote tool's own name needs the one skill it names. */
function checkTools(tools: ToolUseSpec[], path: (string | number)[], report: (path: (string | number)[], message: string) => void): void {
  const seen = new Set<string>();
  tools.forEach((tool, j) => {
    const entry = toolEntry(tool);
    if (isRemoteTool(entry) && entry.name !== undefined && entry.skill === undefined) {
      report([...path, j, 'name'], 'a name needs `skill`: without it each skill of the card is a tool, named after the skill');
    }
    const name = isRemoteTool(entry) ? (entry.skill !== undefined ? entry.name : undefined) : entry.name;
    if (name !== undefined) {
      if (seen.has(name)) report([...path, j], `duplicate tool "${name}": the model could not tell the two apart`);
      seen.add(name);
    }
    const approval = entry.approval;
    if (typeof approval === 'object' && approval.timeout?.action === 'continue') {
      report([...path, j, 'approval', 'timeout', 'action'], 'a tool call is approved or rejected: use "approve" or "reject"');
    }
  });
}

/**
 * An agent's MCP servers: names unique, and no tool name a server is known to bring (its
 * `include`) already taken by another tool of the agent. A server without `include` is checked
 * when its list is read, at the run's first turn (see mcp/mcp-offer.ts).
 */
function checkMcpServers(
  team: TeamSpec,
  agent: LlmAgentSpec,
  i: number,
  report: (path: (string | number)[], message: string) => void,
): void {
  const where = (server: McpServerSpec): (string | number)[] => {
    const own = (agent.mcp ?? []).indexOf(server);
    return own >= 0 ? ['agents', i, 'mcp', own] : ['mcp', (team.mcp ?? []).indexOf(server)];
  };
  (agent.mcp ?? []).forEach((server, j) => {
    if ((agent.mcp ?? []).findIndex((s) => s.name === server.name) !== j)
      report(['agents', i, 'mcp', j, 'name'], `duplicate MCP server "${server.name}"`);
  });
  const taken = new Map<string, string>();
  for (const tool of agent.tools ?? []) {
    const entry = toolEntry(tool);
    if (!isRemoteTool(entry)) taken.set(entry.name, `the function tool "${entry.name}"`);
  }
  for (const server of mcpServersOf(team, agent)) {
    for (const tool of server.include ?? []) {
      const name = mcpToolName(server, tool);
      const other = taken.get(name);
      if (other) report([...where(server), 'include'], `"${name}" of MCP server "${server.name}" clashes with ${other}: set a \`prefix\``);
      else taken.set(name, `"${tool}" of MCP server "${server.name}"`);
    }
  }
}

/** An input request (a human's turn, a handoff) can go on or be rejected; nothing is there to approve. */
function checkInputTimeout(
  timeout: HumanTimeoutSpec | undefined,
  path: (string | number)[],
  report: (path: (string | number)[], message: string) => void,
): void {
  if (timeout?.action === 'approve')
    report([...path, 'action'], 'an input request cannot be approved: use "continue" (with a message) or "reject"');
}

export const TeamSchema: z.ZodType<TeamSpec> = TeamObjectSchema.superRefine(checkTeam);
