import { RunEndedError } from '../../src/temporal/errors';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT } from '../helpers/teams';
import {
  ENDLESS_TEAM,
  EXAMPLE_TEAM,
  errorLines,
  eventually,
  expectCleanFailure,
  jsonLines,
  runCli,
  tempDir,
  temporalFlags,
} from './cli-helpers';

const TASK = 'Write a note.';
const A2A_STATES = ['submitted', 'working', 'input-required', 'auth-required', 'completed', 'rejected', 'canceled', 'failed'];

describe('durable-teams status, transcript, list, cancel and stop', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let dir: ReturnType<typeof tempDir>;
  let endlessTeam: string;
  const suffix = Math.random().toString(16).slice(2, 10);
  const done = [`cli-inspect-a-${suffix}`, `cli-inspect-b-${suffix}`];

  const cli = (...args: string[]) => runCli([...args, ...temporalFlags(env.taskQueue)], { env: { OPENAI_BASE_URL: model.baseUrl } });

  /** Starts an endless run detached and returns once its first turn is in flight. */
  async function startEndless(id: string): Promise<void> {
    expect(await cli('run', endlessTeam, 'Talk.', '--id', id, '--detach')).toMatchObject({ code: 0 });
    for await (const event of env.client.follow(id)) if (event.type === 'turn_started') return;
  }

  beforeAll(async () => {
    const slow = { replies: ['still talking'], latencyMs: 1_000 };
    model = await startScriptedModelServer({ script: { agents: { ...REVIEW_SCRIPT.agents, alice: slow, bob: slow } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    dir = tempDir();
    endlessTeam = dir.write('endless.yaml', ENDLESS_TEAM);
    expect(await cli('run', EXAMPLE_TEAM, TASK, '--id', done[0]!)).toMatchObject({ code: 0 });
    expect(await cli('run', EXAMPLE_TEAM, TASK, '--id', done[1]!)).toMatchObject({ code: 0 });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
    dir?.remove();
  });

  it('status --json gives the run in A2A terms', async () => {
    const result = await cli('status', done[0]!, '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      id: done[0],
      team: 'review',
      status: 'completed',
      turns: 6,
      stopReason: '"APPROVED" mentioned by reviewer',
      pendingInput: null,
      rejection: null,
      error: null,
      messages: 7,
      usage: { promptTokens: expect.any(Number), completionTokens: expect.any(Number) },
      lastSpeaker: 'reviewer',
      stalled: null,
      attempts: [],
    });
    expect(A2A_STATES).toContain(lines[0]!.status);
  });

  it('status without --json says the same for people', async () => {
    const result = await cli('status', done[0]!);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${done[0]}  team review`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'status:        completed',
        'turns:         6 (7 messages, last speaker reviewer)',
        'stop reason:   "APPROVED" mentioned by reviewer',
        'pending input: none',
      ]),
    );
    expect(result.stdout).not.toContain('{');
  });

  it('transcript --json gives one {index, source, content} line a message, the task first', async () => {
    const result = await cli('transcript', done[0]!, '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(result.stdout)).toEqual([
      { index: 0, source: 'user', content: TASK },
      { index: 1, source: 'researcher', content: 'fact one' },
      { index: 2, source: 'writer', content: 'draft one' },
      { index: 3, source: 'reviewer', content: 'needs work' },
      { index: 4, source: 'researcher', content: 'fact two' },
      { index: 5, source: 'writer', content: 'draft two' },
      { index: 6, source: 'reviewer', content: 'APPROVED' },
    ]);
  });

  it('transcript without --json prints each message under its number and source', async () => {
    const result = await cli('transcript', done[0]!);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout.startsWith(`#0 user\n${TASK}\n`)).toBe(true);
    expect(result.stdout).toContain('#6 reviewer\nAPPROVED\n');
  });

  it('list --json includes the runs just made, newest first', async () => {
    const runs = await eventually(async () => {
      const result = await cli('list', '--json', '--limit', '1000');
      expect(result).toMatchObject({ code: 0 });
      const listed = jsonLines(result.stdout);
      for (const id of done) expect(listed.map((run) => run.runId)).toContain(id);
      return listed;
    });
    const [a, b] = done.map((id) => runs.findIndex((run) => run.runId === id));
    expect(b).toBeLessThan(a!);
    expect(runs[a!]).toEqual({
      runId: done[0],
      team: 'review',
      status: 'completed',
      waiting: null,
      startedAt: expect.any(String),
      closedAt: expect.any(String),
    });
  });

  it('cancel ends a run in flight canceled, and status then says canceled', async () => {
    const id = `cli-cancel-${suffix}`;
    await startEndless(id);

    const result = await cli('cancel', id);
    expect(result).toMatchObject({ code: 0, stdout: `cancel requested for ${id}\n` });
    await expect(env.client.result(id)).rejects.toThrow(RunEndedError);
    expect(await env.client.executionStatus(id)).toBe('CANCELLED');

    const status = await cli('status', id, '--json');
    expect(jsonLines(status.stdout)).toEqual([expect.objectContaining({ id, team: 'endless', status: 'canceled', stopReason: null })]);
    expect((await cli('status', id)).stdout).toContain('status:        canceled\n');

    const again = await cli('cancel', id);
    expect(expectCleanFailure(again)).toMatch(`error: run "${id}" has already ended`);
  });

  it('stop --reason completes a run in flight with that reason', async () => {
    const id = `cli-stop-${suffix}`;
    await startEndless(id);

    const result = await cli('stop', id, '--reason', 'enough for today');
    expect(result).toMatchObject({ code: 0, stdout: `stop requested for ${id}\n` });
    expect(errorLines(result.stderr)).toEqual([]);
    const { snapshot } = await env.client.result(id);
    expect(snapshot.status).toBe('completed');

    const status = jsonLines((await cli('status', id, '--json')).stdout)[0];
    expect(status).toMatchObject({ id, status: 'completed', stopReason: expect.stringContaining('enough for today') });
    expect(status!.turns).toBeLessThan(99);

    const again = await cli('stop', id);
    expect(expectCleanFailure(again)).toMatch(`error: run "${id}" has already ended (completed); nothing to stop`);
  });
});
