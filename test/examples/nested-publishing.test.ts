import { join } from 'node:path';
import { loadTeamFile } from '../../src/files/team-file';
import { finalAnswer, runAndFollow } from '../../examples/shared/run-and-follow';
import { ROOT } from '../helpers/teams';
import { exampleStack } from './gallery-env';

const folder = join(ROOT, 'examples/nested-publishing');

// `durable-teams demo --team team.yaml --script script.yaml` does exactly this, on a server of its own.
describe('examples/nested-publishing', () => {
  it('runs the review team as one member of the publishing team and publishes', async () => {
    const stack = await exampleStack({ script: join(folder, 'script.yaml') });
    try {
      const { runId, result } = await runAndFollow(
        stack,
        loadTeamFile(join(folder, 'team.yaml')),
        'Write a short article on durable teams.',
      );
      expect(result.snapshot.stopReason).toBe('"PUBLISHED" mentioned by publisher');
      expect(finalAnswer(result)).toContain('PUBLISHED');
      const reviewers = result.messages.find((m) => m.source === 'reviewers')!;
      expect(reviewers.content).toContain('ACCEPT');
      // The review board ran as a child run of its own, with both of its members.
      const inner = await stack.client.result(`${runId}/turn-1/reviewers`);
      expect(inner.messages.map((m) => m.source)).toEqual(expect.arrayContaining(['fact_checker', 'copy_editor']));
      expect(stack.printed()).toContain('[publisher]');
    } finally {
      await stack.stop();
    }
  });
});
