import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError } from '../config/config-error';
import { hostPortProblem, readEnvironment } from '../config/environment';

/**
 * How to reach Temporal securely: TLS (server verification, a client certificate for mTLS) and
 * an API key (Temporal Cloud), for clients and workers alike. The key lives only in memory: it
 * never enters a workflow input, a log line or an error message.
 */
export interface ConnectionSecurity {
  tls: TlsSettings | null;
  apiKey?: string;
}

/** TLS as both Temporal SDKs take it: serverNameOverride, serverRootCACertificate, clientCertPair (PEM). */
export type TlsSettings = TLSConfig;

/** Where runs live: the Temporal server, namespace and task queue, from flags or the environment. */
export interface TemporalSettings {
  /** host:port of the Temporal frontend. Default: TEMPORAL_ADDRESS, else 127.0.0.1:7233. */
  address: string;
  /** Default: TEMPORAL_NAMESPACE, else "default". */
  namespace: string;
  /** Default: DURABLE_TEAMS_TASK_QUEUE, else "durable-teams". */
  taskQueue: string;
  /** TEMPORAL_TLS*, TEMPORAL_API_KEY; no TLS and no key by default (a local server). */
  security: ConnectionSecurity;
}

/** Flags that override the environment's TLS settings (paths, as the variables hold). */
export interface TlsOverrides {
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  tlsServerName?: string;
}

export const DEFAULT_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'durable-teams';

/**
 * The settings from flags over the environment, all checked (Zod) before anything connects: a
 * ConfigError names each bad value, by flag or variable.
 */
export function temporalSettings(
  overrides: Partial<Omit<TemporalSettings, 'security'>> & TlsOverrides = {},
  env: Record<string, string | undefined> = process.env,
): TemporalSettings {
  // Flags are checked with the same rules as the variables they stand for.
  const merged: Record<string, string | undefined> = {
    ...env,
    TEMPORAL_ADDRESS: overrides.address ?? env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: overrides.namespace ?? env.TEMPORAL_NAMESPACE,
    DURABLE_TEAMS_TASK_QUEUE: overrides.taskQueue ?? env.DURABLE_TEAMS_TASK_QUEUE,
    TEMPORAL_TLS: overrides.tls !== undefined ? String(overrides.tls) : env.TEMPORAL_TLS,
    TEMPORAL_TLS_CERT: overrides.tlsCert ?? env.TEMPORAL_TLS_CERT,
    TEMPORAL_TLS_KEY: overrides.tlsKey ?? env.TEMPORAL_TLS_KEY,
    TEMPORAL_TLS_CA: overrides.tlsCa ?? env.TEMPORAL_TLS_CA,
    TEMPORAL_TLS_SERVER_NAME: overrides.tlsServerName ?? env.TEMPORAL_TLS_SERVER_NAME,
  };
  if (overrides.address !== undefined) {
    const problem = hostPortProblem(overrides.address);
    if (problem) throw new ConfigError([`--address: ${problem}`]);
  }
  const checked = readEnvironment(merged);
  const wantsTls =
    checked.TEMPORAL_TLS ??
    Boolean(checked.TEMPORAL_API_KEY || checked.TEMPORAL_TLS_CERT || checked.TEMPORAL_TLS_CA || checked.TEMPORAL_TLS_SERVER_NAME);
  const tls: TlsSettings | null = wantsTls
    ? {
        ...(checked.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: checked.TEMPORAL_TLS_SERVER_NAME } : {}),
        ...(checked.TEMPORAL_TLS_CA ? { serverRootCACertificate: readFileSync(checked.TEMPORAL_TLS_CA) } : {}),
        ...(checked.TEMPORAL_TLS_CERT && checked.TEMPORAL_TLS_KEY
          ? { clientCertPair: { crt: readFileSync(checked.TEMPORAL_TLS_CERT), key: readFileSync(checked.TEMPORAL_TLS_KEY) } }
          : {}),
      }
    : null;
  return {
    address: checked.TEMPORAL_ADDRESS?.trim() ?? DEFAULT_ADDRESS,
    namespace: checked.TEMPORAL_NAMESPACE ?? DEFAULT_NAMESPACE,
    taskQueue: checked.DURABLE_TEAMS_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    security: { tls, ...(checked.TEMPORAL_API_KEY ? { apiKey: checked.TEMPORAL_API_KEY.trim() } : {}) },
  };
}
