import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatZodIssues } from './zod-issues';

/** A script file that cannot be read or does not fit the format. The message names the file. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  constructor(
    message: string,
    /** One `path: problem` line per problem found, without the file name. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

const latencySchema = z.union(
  [
    z.number().nonnegative(),
    z
      .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })
      .refine((r) => r.min <= r.max, 'min must not be greater than max'),
  ],
  { error: 'expected a number of milliseconds or {min, max}' },
);

const toolCallSchema = z
  .strictObject({
    /** Optional: without it the server numbers calls `call_<n>` from the request. */
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    /** An object (sent as its JSON) or a raw string, to script malformed arguments too. */
    arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
  })
  .transform((call) => ({
    ...(call.id !== undefined ? { id: call.id } : {}),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));

/** Milliseconds between the pieces of a streamed reply (`stream: true` requests only). */
const tokenDelaySchema = z.number().nonnegative();

const usageSchema = z.strictObject({
  promptTokens: z.int().nonnegative(),
  completionTokens: z.int().nonnegative(),
});

const replyObjectSchema = z
  .strictObject({
    content: z.string().nullable().optional(),
    toolCalls: z.array(toolCallSchema).min(1).optional(),
    usage: usageSchema.optional(),
    tokenDelayMs: tokenDelaySchema.optional(),
  })
  .refine((r) => r.content != null || r.toolCalls !== undefined, 'a reply needs content or toolCalls');

const replySchema = z.union([z.string(), replyObjectSchema], { error: 'expected a string or {content} object' }).transform((r) =>
  typeof r === 'string'
    ? { content: r as string | null }
    : {
        content: r.content ?? null,
        ...(r.toolCalls !== undefined ? { toolCalls: r.toolCalls } : {}),
        ...(r.usage !== undefined ? { usage: r.usage } : {}),
        ...(r.tokenDelayMs !== undefined ? { tokenDelayMs: r.tokenDelayMs } : {}),
      },
);

const replyListSchema = z.array(replySchema).min(1, 'add at least one reply');

const agentSchema = z
  .union(
    [
      replyListSchema,
      z.strictObject({ replies: replyListSchema, latencyMs: latencySchema.optional(), tokenDelayMs: tokenDelaySchema.optional() }),
    ],
    { error: 'expected a list of replies or {replies, latencyMs, tokenDelayMs}' },
  )
  .transform((a) => (Array.isArray(a) ? { replies: a } : a));

/** A string answers every attempt of a turn; a list answers attempt k with item k (then the last). */
const selectorEntrySchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'expected an agent name or a list of names (one per attempt)',
});

const STATUS_RANGE = 'expected an HTTP error status, 400 to 599';

const failureRuleSchema = z
  .strictObject({
    status: z.int().min(400, STATUS_RANGE).max(599, STATUS_RANGE).optional(),
    dropConnection: z.boolean().optional(),
    /** A streamed reply breaks off after this many pieces (the socket destroyed); an unstreamed request is dropped. */
    cutStreamAfter: z.int().nonnegative().optional(),
    /** Only calls from this agent match (and count); without it every call does. */
    agent: z.string().min(1).optional(),
    firstCalls: z.int().positive().optional(),
    everyNth: z.int().positive().optional(),
    retryAfterSeconds: z.number().nonnegative().optional(),
    /** Replaces the generated error message. */
    message: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    const kinds = [rule.status !== undefined, rule.dropConnection === true, rule.cutStreamAfter !== undefined];
    if (kinds.filter(Boolean).length !== 1) {
      problem('give one of status (an HTTP error), dropConnection: true or cutStreamAfter (pieces sent before the cut)');
    }
    if (rule.firstCalls !== undefined && rule.everyNth !== undefined) {
      problem('give firstCalls or everyNth, not both (or neither, to fail every call)');
    }
    if (rule.retryAfterSeconds !== undefined && rule.status === undefined) {
      problem('retryAfterSeconds needs a status');
    }
  });

export const scriptSchema = z
  .strictObject(
    {
      latencyMs: latencySchema.default(0),
      /** Left out, the server's own setting applies (`--token-delay`), else 0. */
      tokenDelayMs: tokenDelaySchema.optional(),
      onExhausted: z.enum(['cycle', 'repeat-last', 'error'], { error: 'expected cycle, repeat-last or error' }).default('cycle'),
      agents: z.record(z.string().min(1), agentSchema).default({}),
      default: agentSchema.optional(),
      selector: z.array(selectorEntrySchema).min(1, 'add at least one entry').optional(),
      failures: z.array(failureRuleSchema).default([]),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'expected a script: a mapping with agents, default, selector or failures' : undefined,
    },
  )
  .superRefine((script, ctx) => {
    if (script.selector && 'selector' in script.agents) {
      ctx.addIssue({
        code: 'custom',
        path: ['agents', 'selector'],
        message: 'the name "selector" is taken by speaker selection when `selector` is set: rename the agent',
      });
    }
  });

/** A script as written in a file or inline (shorthands allowed). */
export type ScriptInput = z.input<typeof scriptSchema>;
/** A validated script with every shorthand expanded and every default filled in. */
export type Script = z.output<typeof scriptSchema>;
export type ScriptAgent = Script['agents'][string];
export type ScriptReply = ScriptAgent['replies'][number];
export type Latency = Script['latencyMs'];
export type FailureRule = Script['failures'][number];
export type ExhaustedMode = Script['onExhausted'];

/** Validates already-parsed data; `sourceName` (a path, or e.g. "inline script") leads every error. */
export function parseScript(data: unknown, sourceName: string): Script {
  const result = scriptSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = formatZodIssues(result.error.issues);
  throw new ScriptError(problems.map((p) => `${sourceName}: ${p}`).join('\n'), problems);
}

/** Reads a `.yaml`, `.yml` or `.json` script file and validates it. */
export function loadScript(path: string): Script {
  const ext = extname(path).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext)) {
    throw new ScriptError(`${path}: unknown script file type "${ext}": use .yaml, .yml or .json`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScriptError(`${path}: cannot read the script: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const kind = ext === '.json' ? 'JSON' : 'YAML';
    throw new ScriptError(`${path}: not valid ${kind}: ${(err as Error).message}`);
  }
  return parseScript(data, path);
}
