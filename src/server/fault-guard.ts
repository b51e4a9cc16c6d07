import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import { Caller } from '../access/caller';
import { answerableError } from '../faults/faults';

/**
 * A team's request handler as the SDK's transports (JSON-RPC, HTTP+JSON, gRPC) call it: an
 * unforeseen error of any method — thrown at once, from its promise, or from its stream after
 * events went out — is logged once under the request's id and answered as an InternalFault
 * (-32603, HTTP 500, gRPC INTERNAL) naming that id. A2A's own errors pass as they are. A call
 * whose caller went away is not logged: what fails then is the caller's leaving.
 */
export function guardFaults<T extends A2ARequestHandler>(handler: T): T {
  return new Proxy(handler, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const caller = callerIn(args);
        const answer = (err: unknown): unknown => (caller && !caller.gone.aborted ? answerableError(err, caller.request) : err);
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          throw answer(err);
        }
        if (isPromise(result)) return result.catch((err: unknown) => Promise.reject(answer(err)));
        if (isAsyncIterable(result)) return guardStream(result, answer);
        return result;
      };
    },
  });
}

/** The Caller the SDK's user builder made, in the call's context (the methods' last argument). */
function callerIn(args: unknown[]): Caller | undefined {
  const user = (args[args.length - 1] as { user?: unknown } | undefined)?.user;
  return user instanceof Caller ? user : undefined;
}

async function* guardStream<T>(stream: AsyncIterable<T>, answer: (err: unknown) => unknown): AsyncGenerator<T, void, undefined> {
  try {
    yield* stream;
  } catch (err) {
    throw answer(err);
  }
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
