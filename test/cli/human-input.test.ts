import { userInfo } from 'node:os';
import { errorLines, eventually, jsonLines } from './cli-helpers';
import { EDITOR_PROMPT, startHumanCli, type HumanCli } from './human-helpers';

/** The answers a run took, from its events: who answered which request how. */
async function answersTaken(h: HumanCli, id: string) {
  const { events } = await h.env.client.events(id);
  return events.filter((e) => e.type === 'input_received').map((e) => ({ requestId: e.requestId, action: e.action, by: e.by }));
}

describe('durable-teams input, status and list on a run waiting for input', () => {
  let h: HumanCli;

  beforeAll(async () => {
    h = await startHumanCli();
  });
  afterAll(async () => h?.close());

  it('status shows the pending request; input takes the answer and the run completes with it', async () => {
    const id = await h.startWaiting(h.teams.editor, 'input');

    const json = await h.cli(['status', id, '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(json.stdout)).toEqual([
      expect.objectContaining({
        id,
        team: 'edited',
        status: 'input-required',
        turns: 1,
        stopReason: null,
        pendingInput: expect.objectContaining({
          requestId: 'req-1',
          kind: 'input',
          reason: 'human_turn',
          to: 'editor',
          prompt: EDITOR_PROMPT,
          answered: false,
        }),
      }),
    ]);

    const text = await h.cli(['status', id]);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'status:        input-required',
        'pending input: req-1 (input, for editor)',
        `  ${EDITOR_PROMPT}`,
        '  answer with: durable-teams input <id> ...',
      ]),
    );

    const answered = await h.cli(['input', id, 'Shorter, please. DONE', '--by', 'alice']);
    expect(answered).toMatchObject({ code: 0, stdout: `${id}: input taken for request req-1\n` });
    expect(errorLines(answered.stderr)).toEqual([]);

    const { snapshot } = await h.env.client.result(id);
    expect(snapshot).toMatchObject({ status: 'completed', stopReason: '"DONE" mentioned by editor', pendingInput: null });
    const transcript = await h.cli(['transcript', id, '--json']);
    expect(transcript).toMatchObject({ code: 0 });
    expect(jsonLines(transcript.stdout)).toEqual([
      { index: 0, source: 'user', content: 'Write a note.' },
      { index: 1, source: 'writer', content: 'draft one' },
      { index: 2, source: 'editor', content: 'Shorter, please. DONE' },
    ]);
    expect(await answersTaken(h, id)).toEqual([{ requestId: 'req-1', action: 'input', by: 'alice' }]);

    const after = await h.cli(['status', id]);
    expect(after.stdout).toContain('status:        completed\n');
    expect(after.stdout).toContain('pending input: none\n');
  });

  it('input - reads the answer from stdin; without --by the answer is from the user name', async () => {
    const id = await h.startWaiting(h.teams.editor, 'stdin');
    const answer = 'Line one from stdin.\nLine two. DONE';

    const answered = await h.cli(['input', id, '-'], { stdin: `${answer}\n` });
    expect(answered).toMatchObject({ code: 0, stdout: `${id}: input taken for request req-1\n` });

    const { messages } = await h.env.client.result(id);
    expect(messages.at(-1)).toMatchObject({ source: 'editor', content: answer });
    expect(await answersTaken(h, id)).toEqual([{ requestId: 'req-1', action: 'input', by: userInfo().username }]);
  });

  it('--request names the pending request explicitly', async () => {
    const id = await h.startWaiting(h.teams.editor, 'request');
    const answered = await h.cli(['input', id, 'DONE', '--request', 'req-1']);
    expect(answered).toMatchObject({ code: 0, stdout: `${id}: input taken for request req-1\n` });
    expect((await h.env.client.result(id)).snapshot.status).toBe('completed');
  });

  it('reject on an input request ends the run rejected with the reason', async () => {
    const id = await h.startWaiting(h.teams.editor, 'reject-input');
    const rejected = await h.cli(['reject', id, '--reason', 'wrong topic']);
    expect(rejected).toMatchObject({ code: 0, stdout: `${id}: reject taken for request req-1\n` });
    const status = jsonLines((await h.cli(['status', id, '--json'])).stdout)[0];
    expect(status).toMatchObject({ id, status: 'rejected', stopReason: 'rejected: wrong topic', pendingInput: null });
  });

  it('list --waiting shows the waiting run with its request, and not the finished ones', async () => {
    const finished = await h.startWaiting(h.teams.editor, 'list-done');
    expect(await h.cli(['input', finished, 'DONE'])).toMatchObject({ code: 0 });
    await h.env.client.result(finished);
    const waiting = await h.startWaiting(h.teams.editor, 'list-waiting');

    // Visibility lags a little behind the run: ask again until it has caught up.
    const listed = await eventually(async () => {
      const result = await h.cli(['list', '--waiting', '--json', '--limit', '1000']);
      expect(result).toMatchObject({ code: 0 });
      const runs = jsonLines(result.stdout);
      expect(runs.map((run) => run.runId)).toContain(waiting);
      expect(runs.map((run) => run.runId)).not.toContain(finished);
      return runs;
    });
    expect(listed.find((run) => run.runId === waiting)).toEqual({
      runId: waiting,
      team: 'edited',
      status: 'input-required',
      waiting: { requestId: 'req-1', kind: 'input', prompt: EDITOR_PROMPT },
      startedAt: expect.any(String),
      closedAt: null,
    });
    for (const run of listed)
      expect(run).toMatchObject({ status: 'input-required', waiting: expect.objectContaining({ requestId: expect.any(String) }) });

    const text = await h.cli(['list', '--waiting', '--limit', '1000']);
    expect(text).toMatchObject({ code: 0 });
    const lines = text.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith(`${waiting} `));
    expect(lines[at]).toMatch(new RegExp(`^${waiting}\\s+input-required\\s+edited\\s+\\d{4}-`));
    expect(lines[at + 1]).toBe(`  req-1 (input): ${EDITOR_PROMPT}`);
    expect(text.stdout).not.toContain(finished);

    // Once answered, it leaves the waiting list.
    expect(await h.cli(['input', waiting, 'DONE'])).toMatchObject({ code: 0 });
    await h.env.client.result(waiting);
    await eventually(async () => {
      const after = jsonLines((await h.cli(['list', '--waiting', '--json', '--limit', '1000'])).stdout);
      expect(after.map((run) => run.runId)).not.toContain(waiting);
    });
  });
});
