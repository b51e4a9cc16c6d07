import { runHumanEditor } from '../../examples/human-editor/run';
import { finalAnswer } from '../../examples/shared/run-and-follow';
import { exampleRunOptions } from './gallery-env';

describe('examples/human-editor', () => {
  it("takes the editor's turns from a person, then asks for an approval with a deadline and completes on it", async () => {
    const { printed, ...options } = await exampleRunOptions();
    const { result, asked, answered } = await runHumanEditor(options);

    expect(result.snapshot.status).toBe('completed');
    expect(result.messages.map((m) => `${m.source}: ${m.content.split('\n')[0]}`)).toEqual([
      'user: Write a two-sentence note announcing that our team runs now survive worker crashes.',
      'writer: Our team runs now survive crashes. Every turn is a Temporal activity, retried on failure,',
      'editor: Add a title and make the second sentence shorter.',
      'writer: Team runs that survive crashes',
      'editor: DONE',
      'user: Ship it.', // the approver's comment, on the record
    ]);
    expect(finalAnswer(result)).toContain('Team runs that survive crashes');
    expect(asked.map((r) => `${r.kind}/${r.to}`)).toEqual(['input/editor', 'input/editor', 'approval/user']);
    // Every question has its deadline, a durable timer: the editor's a day, the approval's a day too.
    expect(asked.every((r) => r.deadline === r.since + 24 * 3600_000)).toBe(true);
    expect(answered.map((a) => `${a.action} by ${a.by}${a.timedOut ? ' (deadline)' : ''}`)).toEqual([
      'input by editor',
      'input by editor',
      'approve by approver',
    ]);
    expect(printed()).toContain('The editor is done. Publish this note?');
  });
});
