import type { StreamResponse, Task } from '@a2a-js/sdk';
import type { Caller } from '../../access/caller';

/** The SSE ids of a stream served over HTTP. */
export const idsOf = (caller: Caller) => (caller.eventIds ? { ids: caller.eventIds } : {});

export const taskEvent = (task: Task): StreamResponse => ({ payload: { $case: 'task', value: task } });
