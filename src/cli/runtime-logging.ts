import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * Sets what the Temporal worker runtime logs, from TypeScript and from its native core alike
 * (it prints at INFO by default, and the core's warnings straight to the console).
 */
export function installRuntimeLogging(level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  const filter = makeTelemetryFilterString({ core: level === 'TRACE' || level === 'DEBUG' ? 'INFO' : level, other: 'ERROR' });
  Runtime.install({
    logger: new DefaultLogger(level),
    telemetryOptions: { logging: { filter, forward: {} } },
  });
}
