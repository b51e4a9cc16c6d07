import { errorLines, expectCleanFailure, jsonLines } from './cli-helpers';
import { startHumanCli, type HumanCli } from './human-helpers';
import { nextRequest } from '../helpers/waiting';

const transcriptOf = async (h: HumanCli, id: string) => {
  const result = await h.cli(['transcript', id, '--json']);
  expect(result).toMatchObject({ code: 0 });
  return jsonLines(result.stdout).map((m) => [m.source, m.content]);
};

describe('durable-teams approve, reject and request-changes', () => {
  let h: HumanCli;

  beforeAll(async () => {
    h = await startHumanCli();
  });
  afterAll(async () => h?.close());

  it('status shows the approval request; approve --comment completes the run with the comment', async () => {
    const id = await h.startWaiting(h.teams.approval, 'approve');

    const status = jsonLines((await h.cli(['status', id, '--json'])).stdout)[0];
    expect(status).toMatchObject({
      status: 'input-required',
      pendingInput: {
        requestId: 'req-1',
        kind: 'approval',
        reason: 'final_approval',
        prompt: expect.stringContaining('"APPROVED" mentioned by reviewer'),
      },
    });
    const text = await h.cli(['status', id]);
    expect(text.stdout).toContain('pending input: req-1 (approval, for user)\n');
    expect(text.stdout).toContain('  answer with: durable-teams approve | reject | request-changes <id> ...\n');

    const approved = await h.cli(['approve', id, '--comment', 'ok']);
    expect(approved).toMatchObject({ code: 0, stdout: `${id}: approve taken for request req-1\n` });
    expect(errorLines(approved.stderr)).toEqual([]);

    const { snapshot } = await h.env.client.result(id);
    expect(snapshot).toMatchObject({ status: 'completed', stopReason: '"APPROVED" mentioned by reviewer' });
    expect(await transcriptOf(h, id)).toEqual([
      ['user', 'Write a note.'],
      ['writer', 'draft one'],
      ['reviewer', 'APPROVED'],
      ['user', 'ok'],
    ]);
  });

  it('approve without a comment completes the run with no message added', async () => {
    const id = await h.startWaiting(h.teams.approval, 'approve-bare');
    expect(await h.cli(['approve', id])).toMatchObject({ code: 0, stdout: `${id}: approve taken for request req-1\n` });
    expect((await h.env.client.result(id)).snapshot.status).toBe('completed');
    expect(await transcriptOf(h, id)).toHaveLength(3);
  });

  it('reject --reason ends the run rejected with the reason', async () => {
    const id = await h.startWaiting(h.teams.approval, 'reject');
    const rejected = await h.cli(['reject', id, '--reason', 'no', '--by', 'bob']);
    expect(rejected).toMatchObject({ code: 0, stdout: `${id}: reject taken for request req-1\n` });

    const json = await h.cli(['status', id, '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(json.stdout)[0]).toMatchObject({
      id,
      status: 'rejected',
      stopReason: 'rejected: no',
      rejection: { reason: 'no', by: 'bob' },
      pendingInput: null,
    });
    const text = await h.cli(['status', id]);
    expect(text.stdout).toContain('status:        rejected\n');
    expect(text.stdout).toContain('stop reason:   rejected: no\n');
    expect(await h.env.client.executionStatus(id)).toBe('COMPLETED');
  });

  it('request-changes sends the comment to the team, which goes another round; then approve completes', async () => {
    const id = await h.startWaiting(h.teams.approval, 'changes');
    const first = await h.env.client.getState(id);

    const changes = await h.cli(['request-changes', id, 'more']);
    expect(changes).toMatchObject({ code: 0, stdout: `${id}: request changes taken for request req-1\n` });
    const second = await nextRequest(h.env.client, id, first.lastEventSeq);
    expect(second).toMatchObject({ requestId: 'req-2', kind: 'approval' });

    const status = jsonLines((await h.cli(['status', id, '--json'])).stdout)[0];
    expect(status).toMatchObject({ status: 'input-required', pendingInput: { requestId: 'req-2' } });

    expect(await h.cli(['approve', id])).toMatchObject({ code: 0, stdout: `${id}: approve taken for request req-2\n` });
    expect((await h.env.client.result(id)).snapshot.status).toBe('completed');
    expect(await transcriptOf(h, id)).toEqual([
      ['user', 'Write a note.'],
      ['writer', 'draft one'],
      ['reviewer', 'APPROVED'],
      ['user', 'more'],
      ['writer', 'draft two'],
      ['reviewer', 'APPROVED'],
    ]);
  });

  it('run following a run that is then rejected elsewhere exits 1 with the rejection', async () => {
    const id = h.id('run-rejected');
    // stdin is not a terminal and there is no --prompt: run only says how to answer.
    const run = h.spawn(['run', h.teams.approval, 'Write a note.', '--id', id]);
    await run.waitFor('stderr', /the run waits on a person: answer with `durable-teams approve\|reject\|request-changes \S+ \.\.\.`/);
    expect(await h.cli(['reject', id, '--reason', 'no'])).toMatchObject({ code: 0 });

    const result = await run.exited;
    expect(expectCleanFailure(result)).toBe(`error: run ${id} rejected`);
    expect(result.stdout).toContain('waiting for a decision from user (request req-1):\n');
    expect(result.stdout).toMatch(/^reject from \S+ \(request req-1\)$/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('rejected: no');
    expect((await h.state(id)).status).toBe('rejected');
  });

  it('an approval nobody answers in time is rejected by its deadline; run exits 1', async () => {
    const id = h.id('deadline');
    const result = await h.cli(['run', h.teams.deadline, 'Write a note.', '--id', id]);

    expect(expectCleanFailure(result)).toBe(`error: run ${id} rejected`);
    expect(result.stdout).toMatch(/^ {4}deadline: \d{4}-\d\d-\d\dT[\d:.]+Z$/m);
    expect(result.stdout).toContain('reject from the deadline (request req-1)\n');
    const status = jsonLines((await h.cli(['status', id, '--json'])).stdout)[0];
    expect(status).toMatchObject({
      id,
      status: 'rejected',
      stopReason: expect.stringMatching(/^rejected: no answer within /),
      pendingInput: null,
    });
  });
});
