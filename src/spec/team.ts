import { z } from 'zod';
import { AgentSchema, RESERVED_NAMES, type AgentSpec } from './agent';
import { ModelSettingsSchema, type ModelSettings } from './model-settings';
import { SelectorSchema, type SelectorSpec } from './selector';
import { TerminationSchema, walkTermination, type TerminationSpec } from './termination';

export type TeamPattern = 'round_robin' | 'selector';

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
  /** round_robin: agents speak in the listed order; selector: a model picks each next speaker. */
  pattern: TeamPattern;
  /** Defaults for every agent (and the selector) that does not set its own. */
  model?: ModelSettings;
  agents: AgentSpec[];
  selector?: SelectorSpec;
  termination?: TerminationSpec;
  /** Agent turns at most; the run completes when reached. */
  maxTurns?: number;
}

export const TEAM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const TeamObjectSchema = z.strictObject({
  version: z.literal(1).optional(),
  name: z.string().regex(TEAM_NAME_PATTERN, {
    message: 'expected letters, digits, ".", "_" or "-" (64 characters at most), e.g. "review-team"',
  }),
  description: z.string().optional(),
  tags: z.array(z.string().min(1)).optional(),
  examples: z.array(z.string().min(1)).optional(),
  pattern: z.enum(['round_robin', 'selector'], { error: 'expected "round_robin" or "selector"' }),
  model: ModelSettingsSchema.optional(),
  agents: z.array(AgentSchema).min(1, 'a team needs at least one agent'),
  selector: SelectorSchema.optional(),
  termination: TerminationSchema.optional(),
  maxTurns: z.number().int().positive().optional(),
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
    if (!agent.model && !team.model?.model) {
      report(['agents', i, 'model'], 'no model named: set it here or in the team\'s "model.model"');
    }
  });

  if (!team.termination && !team.maxTurns) {
    report(['termination'], 'the team would never stop: add a termination condition or "maxTurns"');
  }
  if (team.termination) {
    for (const { spec, path } of walkTermination(team.termination, ['termination'])) {
      if ((spec.type === 'text_mention' || spec.type === 'source_match') && spec.sources) {
        spec.sources.forEach((source, j) => {
          if (!known.has(source) && source !== 'user') {
            report([...path, 'sources', j], `unknown agent "${source}"; the agents are ${list} (and "user")`);
          }
        });
      }
      if (spec.type === 'stop_message' && !team.agents.some((agent) => agent.stopSignal)) {
        report(path, 'no agent has a "stopSignal", so no stop message can ever arrive');
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

export const TeamSchema: z.ZodType<TeamSpec> = TeamObjectSchema.superRefine(checkTeam);
