import { NativeConnection } from '@temporalio/worker';
import type { ConnectionSecurity } from '../temporal/config';
import { connectionSecurityOptions, describe } from '../temporal/connection';
import { TemporalUnavailableError } from '../temporal/errors';

/**
 * A worker connection, with the same error as a client's when the server is not there. Apart
 * from connection.ts so that a client (the CLI's reads, a front end) never loads the worker SDK.
 */
export async function connectWorker(address: string, security?: ConnectionSecurity): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address, ...connectionSecurityOptions(security) });
  } catch (err) {
    throw new TemporalUnavailableError(address, describe(err, security));
  }
}
