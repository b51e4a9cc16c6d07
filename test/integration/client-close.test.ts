import { randomUUID } from 'node:crypto';
import { closeClient, connectClient } from '../../src/temporal/connection';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';

/**
 * Closing a client with calls in flight, against the real dev server: the calls that end on their
 * own are let finish, and a long poll is cut off after the grace time, so that no SDK retry is left
 * to fire on a closed channel (which throws from a timer and kills the process).
 */
describe('closing a client connection with calls in flight', () => {
  it('lets a call in flight finish, then cuts off a long poll after the grace time', async () => {
    const owner = await connectClient(testTemporalAddress(), 'default');
    const workflowId = `client-close-${randomUUID()}`;
    // No worker serves this queue: the run stays open, and waiting for its result is a long poll.
    const handle = await owner.workflow.start('teamRun', { taskQueue: uniqueTaskQueue('nobody'), workflowId, args: [] });
    try {
      const client = await connectClient(testTemporalAddress(), 'default');
      const mine = client.workflow.getHandle(workflowId);
      const result = mine.result().then(
        () => 'completed',
        (err: Error) => `${err.message}: ${(err.cause as Error | undefined)?.message}`,
      );
      const described = mine.describe();
      await closeClient(client, 500);
      // The describe was in flight when the close began, and answered in full.
      await expect(described.then((d) => d.status.name)).resolves.toBe('RUNNING');
      // The long poll was cut off rather than left to outlive the connection.
      await expect(result).resolves.toMatch(/closing|cancel/i);
      // Nothing more goes out on a closed client: a new call fails at once, and says why.
      const late = await mine.describe().catch((err: Error) => err);
      expect((late as Error).cause).toEqual(expect.objectContaining({ message: expect.stringMatching(/shut down/) }));
    } finally {
      await handle.terminate('test over');
      await closeClient(owner);
    }
  });
});
