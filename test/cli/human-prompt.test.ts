import { errorLines, jsonLines } from './cli-helpers';
import { DECISION_QUESTION, EDITOR_PROMPT, INPUT_QUESTION, startHumanCli, type HumanCli } from './human-helpers';

describe('durable-teams run --prompt, answering at the terminal', () => {
  let h: HumanCli;

  beforeAll(async () => {
    h = await startHumanCli();
  });
  afterAll(async () => h?.close());

  const messagesOf = async (id: string) => (await h.env.client.result(id)).messages.map((m) => [m.source, m.content]);

  it('asks for input on stderr and takes the line written to stdin; exit 0', async () => {
    const id = h.id('prompt-input');
    const run = h.spawn(['run', h.teams.editor, 'Write a note.', '--id', id, '--prompt'], { stdin: 'pipe' });
    await run.waitFor('stderr', INPUT_QUESTION);
    // The question comes after the request is printed, so stdout already says what is asked.
    expect(run.stdout).toContain(`waiting for input from editor (request req-1):\n    ${EDITOR_PROMPT}\n`);
    run.write('Shorter, please. DONE\n');

    const result = await run.exited;
    expect(result).toMatchObject({ code: 0 });
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.stdout).toContain('[editor]\n    Shorter, please. DONE\n');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('completed: "DONE" mentioned by editor');
    expect(await messagesOf(id)).toEqual([
      ['user', 'Write a note.'],
      ['writer', 'draft one'],
      ['editor', 'Shorter, please. DONE'],
    ]);
  });

  it('an empty line asks again; /reject <reason> rejects, and run exits 1', async () => {
    const id = h.id('prompt-reject');
    const run = h.spawn(['run', h.teams.editor, 'Write a note.', '--id', id, '--prompt'], { stdin: 'pipe' });
    await run.waitFor('stderr', INPUT_QUESTION);
    run.write('\n');
    await run.waitFor('stderr', INPUT_QUESTION, 2);
    run.write('/reject wrong topic\n');

    const result = await run.exited;
    expect(errorLines(result.stderr)).toEqual([`error: run ${id} rejected`]);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('rejected: wrong topic');
    expect(await h.state(id)).toMatchObject({ status: 'rejected', stopReason: 'rejected: wrong topic' });
  });

  it('an approval: "c" and a comment request changes, later "a" and an empty comment approve; exit 0', async () => {
    const id = h.id('prompt-approval');
    const run = h.spawn(['run', h.teams.approval, 'Write a note.', '--id', id, '--prompt', '--json'], { stdin: 'pipe' });
    await run.waitFor('stderr', DECISION_QUESTION);
    run.write('c\n');
    await run.waitFor('stderr', /what should change\? /);
    run.write('Add a title.\n');

    await run.waitFor('stderr', DECISION_QUESTION, 2);
    run.write('a\n');
    await run.waitFor('stderr', /comment \(optional\): /);
    run.write('\n');

    const result = await run.exited;
    expect(result).toMatchObject({ code: 0 });
    expect(errorLines(result.stderr)).toEqual([]);
    // --json: stdout is only JSON Lines even while questions are asked (they go to stderr).
    const lines = jsonLines(result.stdout);
    const taken = lines.filter((e) => e.type === 'input_received').map((e) => [e.requestId, e.action]);
    expect(taken).toEqual([
      ['req-1', 'request_changes'],
      ['req-2', 'approve'],
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', id, status: 'completed', pendingInput: null });
    expect(await messagesOf(id)).toEqual([
      ['user', 'Write a note.'],
      ['writer', 'draft one'],
      ['reviewer', 'APPROVED'],
      ['user', 'Add a title.'],
      ['writer', 'draft two'],
      ['reviewer', 'APPROVED'],
    ]);
  });

  it('a script may pipe all its answers at once: each waits for its question', async () => {
    const id = h.id('prompt-piped');
    // Both decisions are in stdin before the run asks the first; stdin then ends.
    const result = await h.cli(['run', h.teams.approval, 'Write a note.', '--id', id, '--prompt'], { stdin: 'c\nAdd a title.\na\n\n' });
    expect(result).toMatchObject({ code: 0 });
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.stdout).toMatch(/^request changes from \S+ \(request req-1\)$/m);
    expect(result.stdout).toMatch(/^approve from \S+ \(request req-2\)$/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('completed: "APPROVED" mentioned by reviewer');
    expect((await messagesOf(id)).filter(([source]) => source === 'user')).toEqual([
      ['user', 'Write a note.'],
      ['user', 'Add a title.'],
    ]);
  });

  it('an answer from another terminal closes the open question, and run exits 0', async () => {
    const id = h.id('prompt-elsewhere');
    const run = h.spawn(['run', h.teams.editor, 'Write a note.', '--id', id, '--prompt'], { stdin: 'pipe' });
    await run.waitFor('stderr', INPUT_QUESTION);

    const elsewhere = await h.cli(['input', id, 'From the other terminal. DONE', '--by', 'carol']);
    expect(elsewhere).toMatchObject({ code: 0, stdout: `${id}: input taken for request req-1\n` });

    const result = await run.exited;
    expect(result).toMatchObject({ code: 0 });
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.stdout).toContain('input from carol (request req-1)\n');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('completed: "DONE" mentioned by editor');
    // Asked once, answered once: the terminal's question went away without an answer of its own.
    expect(result.stderr.match(new RegExp(INPUT_QUESTION.source, 'g'))).toHaveLength(1);
    // ...and its line was ended, so what follows on stderr starts a line of its own.
    expect(result.stderr).toMatch(new RegExp(`${INPUT_QUESTION.source}\r?\n`));
    const { events } = await h.env.client.events(id);
    expect(events.filter((e) => e.type === 'input_received' || e.type === 'answer_refused')).toEqual([
      expect.objectContaining({ type: 'input_received', requestId: 'req-1', by: 'carol' }),
    ]);
    expect((await messagesOf(id)).at(-1)).toEqual(['editor', 'From the other terminal. DONE']);
  });

  it('--no-input never asks, even with --prompt; the run is answered with input', async () => {
    const id = h.id('no-input');
    const run = h.spawn(['run', h.teams.editor, 'Write a note.', '--id', id, '--prompt', '--no-input'], { stdin: 'pipe' });
    await run.waitFor('stderr', /the run waits on a person: answer with `durable-teams input \S+ \.\.\.`/);
    expect(run.stderr).not.toMatch(INPUT_QUESTION);
    expect(await h.cli(['input', id, 'DONE'])).toMatchObject({ code: 0 });
    expect(await run.exited).toMatchObject({ code: 0 });
  });
});
