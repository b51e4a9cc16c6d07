import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { parseAllowedOrigins } from '../http/cross-site';
import { parseAllowedHosts } from '../http/host-check';
import { targetPolicy } from '../http/outbound-target';
import { parseStoreUrl } from '../store/store-url';
import { ConfigError } from './config-error';

/*
 * Every environment variable the CLI reads for Temporal and its own settings, checked in one
 * place when a command starts, so that a bad value is reported at once (all of them, each by
 * name) rather than as an odd failure later. Secret values (API keys) are never echoed.
 */

/** host:port, as Temporal's clients take it (an IPv6 host in brackets). */
export const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

export function hostPortProblem(value: string): string | null {
  const match = HOST_PORT.exec(value.trim());
  if (!match) return `expected host:port (e.g. 127.0.0.1:7233 or my-ns.tmprl.cloud:7233), got "${value}"`;
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535 ? null : `the port must be 1 to 65535, got ${port}`;
}

const hostPort = z.string().superRefine((value, ctx) => {
  const problem = hostPortProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .regex(/^[^\s]+$/, 'must not contain spaces');
const readableFile = z.string().superRefine((path, ctx) => {
  if (!existsSync(path)) ctx.addIssue({ code: 'custom', message: `no file at "${path}"` });
  else if (!statSync(path).isFile()) ctx.addIssue({ code: 'custom', message: `"${path}" is not a file` });
});
const flag = z.string().transform((value, ctx) => {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  ctx.addIssue({ code: 'custom', message: `expected true or false, got "${value}"` });
  return z.NEVER;
});
/** A secret: checked for presence and shape only, and never quoted back. */
const secret = z.string().refine((v) => v.trim().length > 0 && !/\s/.test(v.trim()), 'is empty or contains spaces (value not shown)');
const httpUrl = z.string().superRefine((value, ctx) => {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: `expected an http(s) URL, got "${value}"` });
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected an http(s) URL, got "${value}"` });
  }
});
/** A conversation store URL; its problems are told with the password shown as ***. */
const storeUrl = z.string().superRefine((value, ctx) => {
  try {
    parseStoreUrl(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});
/** Comma-separated hosts (host, host:port, *.domain), addresses and CIDR networks. */
const webhookAllow = z.string().superRefine((value, ctx) => {
  try {
    targetPolicy(value.split(','));
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});
/** A comma-separated list one of the front end's parsers reads (allowed hosts, allowed origins). */
const listOf = (parse: (list: string) => string[]) =>
  z.string().superRefine((value, ctx) => {
    try {
      parse(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });
const oneOf = <T extends string>(values: readonly T[]) =>
  z.string().transform((value, ctx) => {
    const v = value.trim();
    const found = values.find((candidate) => candidate.toLowerCase() === v.toLowerCase());
    if (found) return found;
    ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(', ')}, got "${value}"` });
    return z.NEVER;
  });

/** Temporal writes a build as "deployment.buildId": a deployment name has no dot. */
export const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const DEPLOYMENT_NAME_RULE = 'expected letters, digits, "_" or "-" (64 at most, no dot), e.g. "durable-teams"';
export const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
export const BUILD_ID_RULE = 'expected letters, digits, ".", "_", "+" or "-" (128 at most), e.g. "0.1.0-3f2a9c1d4e5b"';

export const EnvironmentSchema = z
  .object({
    TEMPORAL_ADDRESS: hostPort.optional(),
    TEMPORAL_NAMESPACE: name.optional(),
    DURABLE_TEAMS_TASK_QUEUE: name.optional(),
    TEMPORAL_API_KEY: secret.optional(),
    TEMPORAL_TLS: flag.optional(),
    TEMPORAL_TLS_CERT: readableFile.optional(),
    TEMPORAL_TLS_KEY: readableFile.optional(),
    TEMPORAL_TLS_CA: readableFile.optional(),
    TEMPORAL_TLS_SERVER_NAME: name.optional(),
    OPENAI_BASE_URL: httpUrl.optional(),
    DURABLE_TEAMS_LOG_FORMAT: oneOf(['text', 'json'] as const).optional(),
    DURABLE_TEAMS_LOG_LEVEL: oneOf(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const).optional(),
    // Tracing: the OpenTelemetry specification's variables (the OTLP exporter reads its headers and
    // timeouts itself), and whether model spans may carry what was said.
    OTEL_SDK_DISABLED: flag.optional(),
    OTEL_TRACES_EXPORTER: oneOf(['otlp', 'console', 'none'] as const).optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
    OTEL_SERVICE_NAME: name.optional(),
    DURABLE_TEAMS_TRACE_CONTENT: flag.optional(),
    /** host:port where the worker serves Temporal's runtime metrics for Prometheus (/metrics). */
    DURABLE_TEAMS_METRICS_ADDRESS: hostPort.optional(),
    /** Where conversation content is kept: a folder (default .durable-teams/conversations), postgres://, or memory:. */
    DURABLE_TEAMS_STORE: storeUrl.optional(),
    /** The longest message (a reply, a tool's output) the conversation store takes, in characters. */
    /** Payloads over 256 KiB kept in the conversation store through Temporal's external storage. */
    DURABLE_TEAMS_EXTERNAL_PAYLOADS: flag.optional(),
    /** Hosts and networks push notifications and webhooks may reach though inward (see outbound-target.ts). */
    DURABLE_TEAMS_WEBHOOK_ALLOW: webhookAllow.optional(),
    /** Host names the A2A front end answers besides loopback ones and its public URL's (see http/host-check.ts). */
    DURABLE_TEAMS_ALLOWED_HOSTS: listOf(parseAllowedHosts).optional(),
    /** Origins whose pages may make calls that change things on the A2A front end (see http/cross-site.ts). */
    DURABLE_TEAMS_ALLOWED_ORIGINS: listOf(parseAllowedOrigins).optional(),
    /** Worker Versioning: the deployment a worker belongs to, and its build (see docs/deploys.md). */
    DURABLE_TEAMS_DEPLOYMENT: z.string().regex(DEPLOYMENT_NAME, DEPLOYMENT_NAME_RULE).optional(),
    DURABLE_TEAMS_BUILD_ID: z.string().regex(BUILD_ID, BUILD_ID_RULE).optional(),
    DURABLE_TEAMS_MAX_MESSAGE_CHARS: z.coerce
      .number({ error: 'expected a whole number of characters' })
      .int('expected a whole number of characters')
      .min(1_000, 'must be at least 1000')
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
      const missing = env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'is needed too: a client certificate (TEMPORAL_TLS_CERT) goes with its private key (TEMPORAL_TLS_KEY)',
      });
    }
    const tlsFiles = env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA || env.TEMPORAL_TLS_SERVER_NAME;
    if (env.TEMPORAL_TLS === false && tlsFiles) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS'],
        message: 'is false, but TLS settings (TEMPORAL_TLS_CERT, _CA or _SERVER_NAME) are given; remove one or the other',
      });
    }
    if (env.TEMPORAL_TLS === false && env.TEMPORAL_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS'],
        message: 'is false, but TEMPORAL_API_KEY is set: an API key is only sent over TLS',
      });
    }
  });

export type Environment = z.output<typeof EnvironmentSchema>;

/** The checked environment; a ConfigError names each bad variable and what is wrong with it. */
export function readEnvironment(env: Record<string, string | undefined> = process.env): Environment {
  // Unset and empty are the same to a shell user: `FOO= cmd` means "not set".
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in EnvironmentSchema.shape && value !== undefined && value !== ''),
  );
  const parsed = EnvironmentSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
}
