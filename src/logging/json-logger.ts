import type { LogEntry } from '@temporalio/worker';
import { ConfigError } from '../config/config-error';

export type LogFormat = 'text' | 'json';

export const LOG_FORMAT_ENV = 'DURABLE_TEAMS_LOG_FORMAT';

/** The log format from DURABLE_TEAMS_LOG_FORMAT: `text` (the default) or `json`. */
export function logFormatFrom(env: Record<string, string | undefined> = process.env): LogFormat {
  const value = env[LOG_FORMAT_ENV]?.trim().toLowerCase();
  if (!value || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new ConfigError([`${LOG_FORMAT_ENV}: expected one of text, json, got "${env[LOG_FORMAT_ENV]}"`]);
}

/** Values a log line can carry: bigints as strings, errors as their name and message. */
function plain(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * One JSON object per line on stderr, for log collectors: time, level, message, and `run` (our
 * run id, which is the workflow id) and `turn` where the line is about a run, with Temporal's own
 * fields (workflow type, activity type, attempt, task queue) beside them.
 */
export function formatLogEntry(entry: LogEntry): string {
  const { workflowId, runId, sdkComponent: _component, ...rest } = (entry.meta ?? {}) as Record<string, unknown>;
  const line = {
    time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level.toLowerCase(),
    message: entry.message,
    ...(workflowId !== undefined ? { run: workflowId } : {}),
    ...rest,
    ...(runId !== undefined ? { temporalRunId: runId } : {}),
  };
  return JSON.stringify(line, plain);
}

/** A log line written outside Temporal's logger (the CLI's own notes, the front end's requests), in the same shape. */
export function jsonLogLine(level: string, message: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }, plain);
}
