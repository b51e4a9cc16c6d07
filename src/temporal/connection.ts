import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ClientOptions } from '@temporalio/client';
import type { ConnectionSecurity } from './config';
import { CallsInFlight } from './calls-in-flight';
import { TemporalUnavailableError } from './errors';

/** How long to wait for the server before saying it is not there. */
const CONNECT_TIMEOUT_MS = 5_000;

/** The connection error's first line, the API key blanked out. */
export function describe(err: unknown, security?: ConnectionSecurity): string {
  let message = err instanceof Error ? err.message : String(err);
  // The SDKs do not quote the key, but an error from a proxy in between might.
  if (security?.apiKey) message = message.split(security.apiKey).join('***');
  return message.split('\n')[0]!.slice(0, 200);
}

/** TLS and the API key as both Temporal SDKs take them (TLS off: a plaintext local server). */
export function connectionSecurityOptions(security?: ConnectionSecurity) {
  if (!security) return {};
  return { tls: security.tls ?? false, ...(security.apiKey ? { apiKey: security.apiKey } : {}) };
}

/**
 * A client connection, or a TemporalUnavailableError that says how to start a server.
 * `dataConverter` carries the payload codec (see codec/data-converter.ts), if any; `security`
 * TLS and the API key, for a server such as Temporal Cloud; `interceptors` tracing's, when on.
 */
export async function connectClient(
  address: string,
  namespace: string,
  options: Pick<ClientOptions, 'dataConverter' | 'interceptors'> & { security?: ConnectionSecurity } = {},
): Promise<Client> {
  const { security, ...clientOptions } = options;
  const calls = new CallsInFlight();
  try {
    const connection = await Connection.connect({
      address,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // A page of history holding a few large messages is past gRPC's 4 MB default; the SDK's own
      // default sets this under a name grpc-js does not read, so a reader's page would fail (and be
      // retried for 40 s as RESOURCE_EXHAUSTED). Temporal caps a history at 50 MB.
      channelArgs: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES },
      // The SDK's retries, as by default, inside the count of calls in flight.
      interceptors: [calls.interceptor, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
      ...connectionSecurityOptions(security),
    });
    inFlight.set(connection, calls);
    return new Client({ connection, namespace, ...clientOptions });
  } catch (err) {
    throw new TemporalUnavailableError(address, describe(err, security));
  }
}

/** The largest answer a client takes from the server: more than a whole history can be. */
const MAX_RECEIVE_BYTES = 128 * 1024 * 1024;

const inFlight = new WeakMap<object, CallsInFlight>();

/**
 * Closes a client's connection once its calls in flight have ended (see calls-in-flight.ts for
 * why closing under a call can kill the process), cutting off what still runs after `graceMs`.
 */
export async function closeClient(client: Client, graceMs?: number): Promise<void> {
  await inFlight.get(client.connection)?.settle(graceMs);
  await client.connection.close();
}
