import { MAX_ANSWER_CHARS } from '../../src/core/human';
import type { RunSnapshot } from '../../src/core/state';
import { untilEvent } from '../helpers/waiting';
import { expectCleanFailure, type CliResult } from './cli-helpers';
import { startHumanCli, type HumanCli } from './human-helpers';

/** What an answer would change: the status, the pending request, the transcript and the event log. */
const essentials = ({ status, pendingInput, messageCount, lastEventSeq }: RunSnapshot) => ({
  status,
  pendingInput,
  messageCount,
  lastEventSeq,
});

describe('durable-teams input, approve, reject and request-changes with bad input', () => {
  let h: HumanCli;
  /** A run waiting for input (req-1) and one waiting for a decision (req-1); every refusal leaves them as they were. */
  let input: string;
  let approval: string;
  let before: Record<string, ReturnType<typeof essentials>>;

  /** A clean failure (exit 1, one `error:` line, no stack, nothing on stdout) that left `id` unchanged; returns the error line. */
  async function refused(result: CliResult, id: string): Promise<string> {
    const line = expectCleanFailure(result);
    expect(result.stdout).toBe('');
    if (before[id]) expect(essentials(await h.state(id))).toEqual(before[id]);
    return line;
  }

  beforeAll(async () => {
    h = await startHumanCli();
    [input, approval] = await Promise.all([h.startWaiting(h.teams.editor, 'bad-input'), h.startWaiting(h.teams.approval, 'bad-approval')]);
    before = { [input]: essentials(await h.state(input)), [approval]: essentials(await h.state(approval)) };
    expect(before[input]).toMatchObject({ status: 'input-required', pendingInput: { requestId: 'req-1', kind: 'input', answered: false } });
    expect(before[approval]).toMatchObject({
      status: 'input-required',
      pendingInput: { requestId: 'req-1', kind: 'approval', answered: false },
    });
  });
  afterAll(async () => h?.close());

  it.each([
    ['approve', []],
    ['request-changes', ['more']],
  ])('%s on a run waiting for input says what it waits for', async (command, args) => {
    const line = await refused(await h.cli([command, input, ...args]), input);
    expect(line).toBe(`error: run "${input}" waits for input (or reject), not ${command}`);
  });

  it('input on a run waiting for a decision says what it waits for', async () => {
    const line = await refused(await h.cli(['input', approval, 'hello']), approval);
    expect(line).toBe(`error: run "${approval}" waits for a decision: approve, reject or request-changes, not input`);
  });

  it.each([
    ['an empty', ''],
    ['a blank', '  \t '],
  ])('%s answer', async (_what, text) => {
    const line = await refused(await h.cli(['input', input, text]), input);
    expect(line).toBe('error: the answer is empty');
  });

  it('an oversized answer from stdin names the 64 KiB limit', async () => {
    const huge = 'x'.repeat(MAX_ANSWER_CHARS + 1);
    const line = await refused(await h.cli(['input', input, '-'], { stdin: huge }), input);
    expect(line).toBe(`error: the answer has ${MAX_ANSWER_CHARS + 1} characters; the limit is ${MAX_ANSWER_CHARS} (64 KiB)`);
  });

  it('input - with nothing on stdin is an empty answer', async () => {
    const line = await refused(await h.cli(['input', input, '-'], { stdin: '' }), input);
    expect(line).toBe('error: the answer is empty');
  });

  it('--request of a request that is not pending: the run refuses it and names the pending one', async () => {
    const line = await refused(await h.cli(['input', input, 'late', '--request', 'req-99']), input);
    expect(line).toBe(`error: run "${input}" refused the answer: request "req-99" is not pending; the run is waiting on request "req-1"`);
    const decision = await refused(await h.cli(['approve', approval, '--request', 'req-99']), approval);
    expect(decision).toContain('request "req-99" is not pending; the run is waiting on request "req-1"');
  });

  it.each([
    ['an empty', ''],
    ['a blank', '   '],
  ])('request-changes with %s comment', async (_what, comment) => {
    const line = await refused(await h.cli(['request-changes', approval, comment]), approval);
    expect(line).toBe('error: say what should change');
  });

  it('input on a run that is busy, not waiting, says so', async () => {
    const id = h.id('busy');
    expect(await h.cli(['run', h.teams.busy, 'Go.', '--id', id, '--detach'])).toMatchObject({ code: 0 });
    await untilEvent(h.env.client, id, (e) => e.type === 'turn_started'); // the slow agent's turn is in flight
    try {
      const line = expectCleanFailure(await h.cli(['input', id, 'hello']));
      expect(line).toBe(`error: run "${id}" is not waiting for input (status: working)`);
      expect(await h.state(id)).toMatchObject({ status: 'working', pendingInput: null, messageCount: 1 });
    } finally {
      await h.env.client.cancel(id);
    }
  });

  it.each(['input', 'approve', 'reject'])('%s on a finished run says it has already ended', async (command) => {
    const id = await h.startWaiting(h.teams.editor, `ended-${command}`);
    expect(await h.cli(['input', id, 'DONE'])).toMatchObject({ code: 0 });
    await h.env.client.result(id);
    const ended = essentials(await h.state(id));

    const line = expectCleanFailure(await h.cli(command === 'input' ? ['input', id, 'again'] : [command, id]));
    expect(line).toBe(`error: run "${id}" has already ended (completed); nothing to answer`);
    expect(essentials(await h.state(id))).toEqual(ended);
  });

  it.each([
    ['input', ['hello']],
    ['approve', []],
  ])('%s on an unknown run id', async (command, args) => {
    const id = h.id('unknown');
    const line = expectCleanFailure(await h.cli([command, id, ...args]));
    expect(line).toBe(`error: no run with id "${id}" in namespace "default"; \`durable-teams list\` shows the runs`);
  });

  it('input without the text is a usage error (exit 2)', async () => {
    const result = await h.cli(['input', input]);
    expect(expectCleanFailure(result, 2)).toMatch(/^error: missing required argument 'text'/);
    expect(essentials(await h.state(input))).toEqual(before[input]);
  });

  it('after all that, both runs still take a proper answer', async () => {
    expect(await h.cli(['input', input, 'DONE'])).toMatchObject({ code: 0, stdout: `${input}: input taken for request req-1\n` });
    expect(await h.cli(['approve', approval])).toMatchObject({ code: 0, stdout: `${approval}: approve taken for request req-1\n` });
    const [a, b] = await Promise.all([h.env.client.result(input), h.env.client.result(approval)]);
    expect([a.snapshot.status, b.snapshot.status]).toEqual(['completed', 'completed']);
    expect(a.messages.filter((m) => m.source === 'editor').map((m) => m.content)).toEqual(['DONE']);
  });
});
