import { z } from 'zod';
import { ENV_NAME_PATTERN } from './model-settings';
import { HumanTimeoutSchema } from './human';
import { RetrySchema, TimeoutsSchema, type RetrySpec, type TimeoutsSpec } from './retry';
import type { ToolApprovalSpec } from './tools';
import { TOOL_NAME_PATTERN } from './plain/tool-entries';

/**
 * An MCP server whose tools an agent may call (see src/mcp). Either a process the worker starts
 * and talks to over stdio (`command`), or a server reached over Streamable HTTP (`url`). Secrets
 * never sit in the team file, which goes into the run's history: `envFrom` and `headersFrom` name
 * the worker's environment variables whose values are passed on, read only where the call is made.
 */
export interface McpServerSpec {
  /** The server's name in this team: routes calls, and names it in errors. */
  name: string;
  /** stdio: the program to start, with its arguments, working folder and environment. */
  command?: string;
  args?: string[];
  cwd?: string;
  /** stdio: environment variables given as they are (no secrets: they are in history). */
  env?: Record<string, string>;
  /** stdio: environment variables taken from the worker's own, by name (`{ GITHUB_TOKEN: GH_TOKEN }`). */
  envFrom?: Record<string, string>;
  /** Streamable HTTP: the server's endpoint, such as http://127.0.0.1:3001/mcp. */
  url?: string;
  /** HTTP headers given as they are (no secrets). */
  headers?: Record<string, string>;
  /** HTTP headers taken from the worker's environment, by variable name (`{ Authorization: MCP_AUTH }`). */
  headersFrom?: Record<string, string>;
  /** Only these of the server's tools (by the server's own names). */
  include?: string[];
  /** None of these. */
  exclude?: string[];
  /** Put before each tool's name as the model sees it, against clashes: `fs_` makes `read_file` `fs_read_file`. */
  prefix?: string;
  /**
   * A call that may have run, to a tool the server does not mark idempotent (a worker died after
   * sending it): `ask` a person whether to send it again (the default), `fail` the call (the
   * model hears it did not complete), or `retry` it anyway. See the README's "MCP tools".
   */
  onUnknownOutcome?: 'ask' | 'fail' | 'retry';
  /**
   * A person approves each call before it goes: `true` every call, `unlessReadOnly` every call but
   * those to tools the server marks `readOnlyHint`; or, to say how to ask, the object form (a
   * function tool's `prompt` and `timeout`, and `unlessReadOnly`). The person is shown what the
   * server says of the tool's effects.
   */
  approval?: boolean | 'unlessReadOnly' | McpApprovalSpec;
  /** How the server's calls are retried and timed (as a function tool's: see retry.ts). */
  retry?: RetrySpec;
  timeouts?: TimeoutsSpec;
}

/** How a server's calls are approved: as a function tool's, and whether read-only tools are let through. */
export interface McpApprovalSpec extends ToolApprovalSpec {
  unlessReadOnly?: boolean;
}

/** Names of headers and variables that carry credentials. */
const SECRET_NAME = /authorization|cookie|token|secret|password|passwd|api[-_]?key|credential/i;

const envName = z.string().regex(ENV_NAME_PATTERN, 'expected the NAME of an environment variable, not its value');

export const McpServerSchema: z.ZodType<McpServerSpec> = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'expected a letter then letters, digits, "_" or "-" (32 at most)'),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    cwd: z.string().min(1).optional(),
    env: z.record(z.string(), z.string()).optional(),
    envFrom: z.record(z.string(), envName).optional(),
    url: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of a Streamable HTTP endpoint' }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    headersFrom: z.record(z.string(), envName).optional(),
    include: z.array(z.string().min(1)).min(1).optional(),
    exclude: z.array(z.string().min(1)).min(1).optional(),
    prefix: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/, 'expected a letter then letters, digits, "_" or "-" (16 at most)')
      .optional(),
    onUnknownOutcome: z.enum(['ask', 'fail', 'retry'], { error: 'expected "ask", "fail" or "retry"' }).optional(),
    approval: z
      .union(
        [
          z.boolean(),
          z.literal('unlessReadOnly'),
          z.strictObject({
            prompt: z.string().min(1).optional(),
            timeout: HumanTimeoutSchema.optional(),
            unlessReadOnly: z.boolean().optional(),
          }),
        ],
        { error: 'expected true, false, "unlessReadOnly" or {prompt, timeout, unlessReadOnly}' },
      )
      .optional(),
    retry: RetrySchema.optional(),
    timeouts: TimeoutsSchema.optional(),
  })
  .superRefine((server, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!server.command === !server.url) problem('command', 'give either `command` (a stdio server) or `url` (Streamable HTTP), not both');
    if (server.url)
      for (const key of ['args', 'cwd', 'env', 'envFrom'] as const)
        if (server[key]) problem(key, `\`${key}\` is for stdio servers (\`command\`)`);
    if (server.command)
      for (const key of ['headers', 'headersFrom'] as const) if (server[key]) problem(key, `\`${key}\` is for HTTP servers (\`url\`)`);
    // Given as they are, these go into the run's history: a name that says "secret" belongs in the *From maps.
    for (const [field, from] of [
      ['env', 'envFrom'],
      ['headers', 'headersFrom'],
    ] as const)
      for (const key of Object.keys(server[field] ?? {}))
        if (SECRET_NAME.test(key))
          problem(
            field,
            `"${key}" looks like a secret, and ${field} goes into the run's history: name the worker's variable in \`${from}\``,
          );
    for (const name of server.include ?? [])
      if (!TOOL_NAME_PATTERN.test(`${server.prefix ?? ''}${name}`))
        problem('include', `"${server.prefix ?? ''}${name}" is not a name a model can call (letters, digits, "_" and "-", 64 at most)`);
  });

export { mcpServersOf, mcpToolName } from './plain/mcp-servers';
