import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress } from '../../src/testing/temporal-env';
import { errorLines, eventually, jsonLines } from './cli-helpers';
import { EDITOR_PROMPT, startHumanCli, type HumanCli } from './human-helpers';

/** Asking a worker that is not there waits out the query and update deadlines (5 s and 10 s). */
jest.setTimeout(120_000);

describe('durable-teams status and answers while no worker is running', () => {
  let h: HumanCli;
  /** A client that outlives the workers, for what Temporal itself knows. */
  let client: TeamClient;
  let editorRun: string;
  let approvalRun: string;

  beforeAll(async () => {
    h = await startHumanCli();
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue: h.taskQueue });
    [editorRun, approvalRun] = await Promise.all([
      h.startWaiting(h.teams.editor, 'nw-input'),
      h.startWaiting(h.teams.approval, 'nw-approval'),
    ]);
    await h.stopWorker();
  });
  afterAll(async () => {
    await h?.close();
    await client?.close();
  });

  it('status says what the run waits on from its read model: the whole state, no worker needed, nothing to warn of', async () => {
    const text = await h.cli(['status', editorRun]);
    expect(text).toMatchObject({ code: 0 });
    expect(text.stderr).toBe('');
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`${editorRun}  team edited`);
    expect(lines).toContain('status:        input-required');
    expect(lines).toContain('pending input: req-1 (input, for editor)');
    expect(lines).toContain(`  ${EDITOR_PROMPT}`);
    expect(lines).toContain('  answer with: durable-teams input <id> ...');

    const json = await h.cli(['status', editorRun, '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const [record] = jsonLines(json.stdout);
    expect(record).toMatchObject({
      id: editorRun,
      team: 'edited',
      status: 'input-required',
      stopReason: null,
      pendingInput: { requestId: 'req-1', kind: 'input', prompt: EDITOR_PROMPT },
      rejection: null,
      error: null,
      stalled: null,
    });
    // What only the run itself knew before: its turns and messages, read without a worker.
    expect(typeof record!.turns).toBe('number');
    expect(record!.messages).toBeGreaterThanOrEqual(1);
  });

  it('list --waiting needs no worker either', async () => {
    await eventually(async () => {
      const runs = jsonLines((await h.cli(['list', '--waiting', '--json', '--limit', '1000'])).stdout);
      expect(runs.filter((run) => run.runId === editorRun || run.runId === approvalRun)).toHaveLength(2);
    });
  });

  it('input and approve say the answer is queued; a worker started later applies them and the runs complete', async () => {
    const [input, approve] = await Promise.all([
      h.cli(['input', editorRun, 'Queued while nobody was there. DONE', '--by', 'dana']),
      h.cli(['approve', approvalRun, '--comment', 'queued ok']),
    ]);
    expect(input).toMatchObject({
      code: 0,
      stdout: `${editorRun}: no worker is running; the answer to request req-1 is queued in Temporal\n`,
    });
    expect(input.stderr).toContain('it is applied when a worker starts, if the run still waits on that request');
    expect(errorLines(input.stderr)).toEqual([]);
    expect(approve).toMatchObject({
      code: 0,
      stdout: `${approvalRun}: no worker is running; the answer to request req-1 is queued in Temporal\n`,
    });
    // Still waiting, as far as Temporal knows: nothing has run the answers yet.
    expect(await client.peek(editorRun)).toMatchObject({ status: 'input-required', waiting: { requestId: 'req-1' } });

    await h.startWorker();
    const [edited, approved] = await Promise.all([client.result(editorRun), client.result(approvalRun)]);
    expect(edited.snapshot).toMatchObject({ status: 'completed', stopReason: '"DONE" mentioned by editor' });
    expect(edited.messages.filter((m) => m.source === 'editor').map((m) => m.content)).toEqual(['Queued while nobody was there. DONE']);
    expect(approved.snapshot.status).toBe('completed');
    expect(approved.messages.at(-1)).toMatchObject({ source: 'user', content: 'queued ok' });

    const transcript = await h.cli(['transcript', editorRun, '--json']);
    expect(jsonLines(transcript.stdout).at(-1)).toEqual({ index: 2, source: 'editor', content: 'Queued while nobody was there. DONE' });
    const { events } = await client.events(editorRun);
    expect(events.filter((e) => e.type === 'input_received')).toEqual([
      expect.objectContaining({ requestId: 'req-1', action: 'input', by: 'dana' }),
    ]);
  });
});
