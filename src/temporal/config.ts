/** Where runs live: the Temporal server, namespace and task queue, from flags or the environment. */
export interface TemporalSettings {
  /** host:port of the Temporal frontend. Default: TEMPORAL_ADDRESS, else 127.0.0.1:7233. */
  address: string;
  /** Default: TEMPORAL_NAMESPACE, else "default". */
  namespace: string;
  /** Default: DURABLE_TEAMS_TASK_QUEUE, else "durable-teams". */
  taskQueue: string;
}

export const DEFAULT_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'durable-teams';

export function temporalSettings(
  overrides: Partial<TemporalSettings> = {},
  env: Record<string, string | undefined> = process.env,
): TemporalSettings {
  return {
    address: overrides.address ?? env.TEMPORAL_ADDRESS ?? DEFAULT_ADDRESS,
    namespace: overrides.namespace ?? env.TEMPORAL_NAMESPACE ?? DEFAULT_NAMESPACE,
    taskQueue: overrides.taskQueue ?? env.DURABLE_TEAMS_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
  };
}
