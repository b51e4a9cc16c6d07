import { Client, Connection, type ClientOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { TemporalUnavailableError } from './errors';

/** How long to wait for the server before saying it is not there. */
const CONNECT_TIMEOUT_MS = 5_000;

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 200);
}

/**
 * A client connection, or a TemporalUnavailableError that says how to start a server.
 * `dataConverter` carries the payload codec (see codec/data-converter.ts), if any.
 */
export async function connectClient(address: string, namespace: string, options: Pick<ClientOptions, 'dataConverter'> = {}): Promise<Client> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: CONNECT_TIMEOUT_MS });
    return new Client({ connection, namespace, ...options });
  } catch (err) {
    throw new TemporalUnavailableError(address, describe(err));
  }
}

/** A worker connection, with the same error when the server is not there. */
export async function connectWorker(address: string): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address });
  } catch (err) {
    throw new TemporalUnavailableError(address, describe(err));
  }
}
