/**
 * A2A push-notification configs as a run keeps them: in its own state, so they outlive any
 * front-end process, and with every secret sealed (see src/secrets), so history holds none.
 */
export interface PushConfig {
  id: string;
  url: string;
  /** The client's token, sent back in X-A2A-Notification-Token; sealed. */
  token: string | null;
  /** How we authenticate to the receiver: an HTTP scheme and its sealed credentials. */
  authentication: { scheme: string; credentials: string | null } | null;
}

/** More would make every state change a burst of deliveries. */
export const MAX_PUSH_CONFIGS = 10;

export type PushConfigChange = { op: 'set'; config: PushConfig } | { op: 'delete'; id: string };

/** Why a change cannot be made, or null. */
export function refusePushChange(configs: readonly PushConfig[], change: PushConfigChange, terminal: boolean): string | null {
  // Deleting what is not there is done already: a repeated delete succeeds, as A2A asks.
  if (change.op === 'delete') return null;
  if (terminal) return 'the task has ended; no further notifications will be sent';
  const { config } = change;
  if (!config.id) return 'the config needs an id';
  if (!/^https?:\/\//.test(config.url)) return `push url "${config.url}" is not an http(s) URL`;
  const replaces = configs.some((c) => c.id === config.id);
  if (!replaces && configs.length >= MAX_PUSH_CONFIGS) return `a task takes at most ${MAX_PUSH_CONFIGS} push notification configs`;
  return null;
}

export function applyPushChange(configs: readonly PushConfig[], change: PushConfigChange): PushConfig[] {
  if (change.op === 'delete') return configs.filter((c) => c.id !== change.id);
  return [...configs.filter((c) => c.id !== change.config.id), change.config];
}
