import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogEntry, type LogLevel } from '@temporalio/worker';
import { formatLogEntry, logFormatFrom, type LogFormat } from './json-logger';

let installed = false;

/** Temporal's logger writing one JSON object per line (see formatLogEntry) to `write`, stderr by default. */
export function jsonLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): DefaultLogger {
  return new DefaultLogger(level, (entry) => write(formatLogEntry(entry)));
}

/**
 * Sets what the Temporal worker runtime logs, from TypeScript and from its native core alike
 * (it prints at INFO by default, and the core's warnings straight to the console), as text or
 * as JSON lines (DURABLE_TEAMS_LOG_FORMAT=json); and, given `metricsAddress` (host:port), serves the
 * runtime's own metrics (task slots, poll and schedule-to-start latencies, activity failures...)
 * for Prometheus at http://<metricsAddress>/metrics.
 */
export function installRuntimeLogging(level: LogLevel = 'WARN', format: LogFormat = logFormatFrom(), metricsAddress?: string): void {
  if (installed) return;
  installed = true;
  const filter = makeTelemetryFilterString({ core: level === 'TRACE' || level === 'DEBUG' ? 'INFO' : level, other: 'ERROR' });
  Runtime.install({
    logger: format === 'json' ? jsonLogger(level) : new DefaultLogger(level),
    telemetryOptions: {
      logging: { filter, forward: {} },
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress, countersTotalSuffix: true, unitSuffix: true } } } : {}),
    },
  });
}

/**
 * For tests that judge what a worker logged: installs the runtime (once per process, before any
 * worker starts) with a logger that keeps every entry at `level` and above, and returns them.
 */
export function captureRuntimeLogs(level: LogLevel = 'INFO'): LogEntry[] {
  if (installed) throw new Error('the Temporal runtime is installed already: capture its logs before a worker starts');
  installed = true;
  const entries: LogEntry[] = [];
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => entries.push(entry)),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} } },
  });
  return entries;
}
