import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { CallsInFlight } from '../src/temporal/calls-in-flight';

/**
 * The Temporal gRPC calls a client makes, counted by method as each starts (before the SDK's
 * retries, so a retried call counts once). What a reader costs Temporal is read off these counts.
 */
export class GrpcCallCounter {
  private readonly counts = new Map<string, number>();

  readonly interceptor: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        const method = options.method_definition.path.split('/').pop() ?? options.method_definition.path;
        this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
        next(metadata, listener);
      },
    });

  /** The counts so far, by method name (GetWorkflowExecutionHistory, QueryWorkflow, ...). */
  snapshot(): Map<string, number> {
    return new Map(this.counts);
  }

  /** Calls by method between an earlier snapshot and now. */
  since(before: Map<string, number>): Map<string, number> {
    const delta = new Map<string, number>();
    for (const [method, count] of this.counts) if (count > (before.get(method) ?? 0)) delta.set(method, count - (before.get(method) ?? 0));
    return delta;
  }
}

/**
 * A Temporal client whose every call is counted, the SDK's default retries inside the count; its
 * calls in flight are kept in `inFlight`, to be settled before the connection closes (see calls-in-flight.ts).
 */
export async function countingClient(address: string, counter: GrpcCallCounter, inFlight: CallsInFlight): Promise<Client> {
  const connection = await Connection.connect({
    address,
    interceptors: [counter.interceptor, inFlight.interceptor, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
  });
  return new Client({ connection, namespace: 'default' });
}
