import { RequestMalformedError, RestUnsupportedOperationError, TaskNotFoundError, UnsupportedOperationError } from '@a2a-js/sdk/errors';
import { ContextBusyError, InvalidRequestError, NoWorkerError, RunNotFoundError } from '../../temporal/errors';

/** Client errors in A2A's words: an unknown run is -32001, a refused request -32602. */
export async function onRun<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof RunNotFoundError) throw new TaskNotFoundError(`task ${err.runId} not found`);
    if (err instanceof InvalidRequestError) throw new RequestMalformedError(err.message);
    if (err instanceof NoWorkerError) throw new UnsupportedOperationError(err.message);
    // A context whose newest task is still going: the client answers that task, or waits.
    if (err instanceof ContextBusyError) throw new RestUnsupportedOperationError({ message: err.message, statusCode: 409 });
    throw err;
  }
}
