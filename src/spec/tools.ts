import { z } from 'zod';
import { HumanTimeoutSchema, type HumanTimeoutSpec } from './human';
import { ModelContextSchema, type ModelContextSpec } from './model-context';
import { RetrySchema, TimeoutsSchema, type RetrySpec, type TimeoutsSpec } from './retry';
import { TOOL_NAME_PATTERN } from './plain/tool-entries';

export { approvalOf, handoffEntry, handoffToolName, isRemoteTool, toolEntry, toolNameOf, TOOL_NAME_PATTERN } from './plain/tool-entries';

/** A person decides on each call of the tool before it is made. */
export interface ToolApprovalSpec {
  /** Shown to the person instead of the generated "agent X wants to call Y with ...". */
  prompt?: string;
  /** What happens when nobody decides in time; without it the run waits as long as it takes. */
  timeout?: HumanTimeoutSpec;
}

/** How a tool's calls run: shared by function tools and remote A2A tools. */
interface ToolCallPolicy {
  /** `true`, or how to ask: every call waits for a person's approval first. */
  approval?: boolean | ToolApprovalSpec;
  retry?: RetrySpec;
  timeouts?: TimeoutsSpec;
}

/**
 * A function tool registered on the worker by this name. The spec only names it: its code, input
 * schema and description live on the worker, since code cannot travel in a team file.
 */
export interface FunctionToolSpec extends ToolCallPolicy {
  name: string;
}

/**
 * A remote A2A agent as a tool: one skill of it (`skill`), or each of its skills as a tool of its
 * own. Name and description come from the card's skill unless given here.
 */
export interface RemoteToolSpec extends ToolCallPolicy {
  /** URL of the remote agent card. */
  card: string;
  skill?: string;
  /** The tool's name for the model; needs `skill`. Default: the skill's id, made a valid name. */
  name?: string;
  description?: string;
  auth?: { bearerEnv?: string; apiKeyEnv?: string; apiKeyHeader?: string };
  /** Hosts calls may go to (host, host:port, *.domain). Default: the card URL's host. */
  allowHosts?: string[];
}

/** How a spec names a tool: a function tool's name alone, or the long form of either kind. */
export type ToolUseSpec = string | FunctionToolSpec | RemoteToolSpec;

/** How an LLM agent uses its tools; the defaults are AutoGen's AssistantAgent's. */
export interface ToolOptionsSpec {
  /** Which part of the conversation the agent's model sees. Default: all of it. */
  context?: ModelContextSpec;
  /** Swarm teams: who this agent may hand the conversation to. */
  handoffs?: HandoffUseSpec[];
  /** Rounds of tool calls in one turn before the agent must answer. Default 1. */
  maxToolIterations?: number;
  /** After the last round of calls, ask the model once more to answer from the results. Default false. */
  reflectOnToolUse?: boolean;
  /** Let the model ask for several calls at once (run concurrently). Default true. */
  parallelToolCalls?: boolean;
  /** The agent's message when it does not reflect: one line per result. Default "{result}". */
  toolCallSummaryFormat?: string;
}

const toolName = z.string().regex(TOOL_NAME_PATTERN, {
  message: 'expected letters, digits, "_" or "-" (64 characters at most): the model calls the tool by this name',
});
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the NAME of an environment variable, not its value');

const policyShape = {
  approval: z
    .union([z.boolean(), z.strictObject({ prompt: z.string().min(1).optional(), timeout: HumanTimeoutSchema.optional() })], {
      error: 'expected true, false or {prompt, timeout}',
    })
    .optional(),
  retry: RetrySchema.optional(),
  timeouts: TimeoutsSchema.optional(),
};

const FunctionToolSchema = z.strictObject({ name: toolName, ...policyShape });

const RemoteToolSchema = z.strictObject({
  card: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of an agent card' }),
  skill: z.string().min(1).optional(),
  name: toolName.optional(),
  description: z.string().min(1).optional(),
  auth: z
    .strictObject({ bearerEnv: envName.optional(), apiKeyEnv: envName.optional(), apiKeyHeader: z.string().min(1).optional() })
    .optional(),
  allowHosts: z.array(z.string().min(1)).min(1).optional(),
  ...policyShape,
});

export const ToolUseSchema: z.ZodType<ToolUseSpec> = z.union([toolName, RemoteToolSchema, FunctionToolSchema], {
  error: 'expected a tool name, {name, approval, retry, timeouts} for a worker tool, or {card, skill, ...} for a remote A2A agent',
});

/** A swarm agent may hand the conversation to this agent (or "user"): a `transfer_to_<target>` tool. */
export interface HandoffTargetSpec {
  target: string;
  /** What the model is told the tool does. Default: who the target is, from its description. */
  description?: string;
}

export type HandoffUseSpec = string | HandoffTargetSpec;

export const HandoffUseSchema: z.ZodType<HandoffUseSpec> = z.union(
  [z.string().min(1), z.strictObject({ target: z.string().min(1), description: z.string().min(1).optional() })],
  { error: 'expected an agent name (or "user"), or {target, description}' },
);

export const toolOptionsShape = {
  context: ModelContextSchema.optional(),
  tools: z.array(ToolUseSchema).optional(),
  handoffs: z.array(HandoffUseSchema).optional(),
  maxToolIterations: z.number().int().min(1, 'must be at least 1').optional(),
  reflectOnToolUse: z.boolean().optional(),
  parallelToolCalls: z.boolean().optional(),
  toolCallSummaryFormat: z.string().includes('{result}', { message: 'must contain "{result}"' }).optional(),
};
