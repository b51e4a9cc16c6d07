import type { ServerCallContext } from '@a2a-js/sdk/server';
import { Caller } from '../../access/caller';

/** The caller the server's user builder put in the call's context (see callerForRequest). */
export function callerInContext(context: ServerCallContext): Caller {
  const user = context.user;
  return user instanceof Caller ? user : new Caller(null, new AbortController().signal);
}
