import { CancellationScope, ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';

/**
 * Child workflows a run starts and leaves behind (notifications): each id is its idempotency
 * key, so a replayed or retried start never makes a second one, and they are not cancellable,
 * so the news that a run was cancelled still goes out. `flush` waits until all have started.
 */
export function abandonedChildren() {
  const starts: Promise<unknown>[] = [];
  return {
    start<A>(workflow: (arg: A) => Promise<void>, workflowId: string, arg: A): void {
      const started = CancellationScope.nonCancellable(() =>
        startChild(workflow, {
          workflowId,
          args: [arg],
          taskQueue: workflowInfo().taskQueue,
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }),
      );
      starts.push(started.catch(() => undefined)); // an id already taken means it was sent
    },
    async flush(): Promise<void> {
      await CancellationScope.nonCancellable(() => Promise.all(starts));
    },
  };
}
