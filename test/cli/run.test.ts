import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT, REVIEW_TURNS } from '../helpers/teams';
import { EXAMPLE_TEAM, errorLines, expectCleanFailure, jsonLines, runCli, runExists, temporalFlags } from './cli-helpers';

const runId = (name: string) => `cli-${name}-${Math.random().toString(16).slice(2, 10)}`;

/** The example team's turns under REVIEW_SCRIPT, speaker then content, in order. */
const EXPECTED_TURNS = REVIEW_TURNS;

describe('durable-teams run', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  /** `run` checks model keys the way the worker resolves them: from OPENAI_BASE_URL, here loopback. */
  let runEnv: Record<string, string>;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    runEnv = { OPENAI_BASE_URL: model.baseUrl };
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it('follows the run turn by turn and ends with the stop reason, exit 0', async () => {
    const id = runId('follow');
    const result = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, ...temporalFlags(env.taskQueue)], { env: runEnv });

    expect(result).toMatchObject({ code: 0 });
    expect(errorLines(result.stderr)).toEqual([]);
    expect(result.stderr).toContain(`started run ${id}`);
    // Each message prints as `[speaker]` with its content indented below.
    const turns = [...result.stdout.matchAll(/^\[(\w+)\]\n {4}(.*)$/gm)].map((m) => [m[1], m[2]]);
    expect(turns).toEqual(EXPECTED_TURNS);
    expect(result.stdout).toMatch(/^turn 1: researcher is speaking\.\.\.$/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('completed: "APPROVED" mentioned by reviewer');
    expect((await env.client.getState(id)).status).toBe('completed');
  });

  it('--json writes only JSON Lines: the events in seq order (previews between them), then the result', async () => {
    const id = runId('json');
    const result = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, '--json', ...temporalFlags(env.taskQueue)], {
      env: runEnv,
    });

    expect(result).toMatchObject({ code: 0 });
    const lines = jsonLines(result.stdout);
    expect(lines[0]).toEqual({ type: 'started', id, team: 'review' });
    const events = lines.filter((line) => 'seq' in line);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ type: 'run_started', task: 'Write a note.' });
    const messages = events.filter((e) => e.type === 'message').map((e) => e.message as { source: string; content: string });
    expect(messages.map((m) => [m.source, m.content])).toEqual(EXPECTED_TURNS);
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'completed' });
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      id,
      team: 'review',
      status: 'completed',
      turns: 6,
      stopReason: '"APPROVED" mentioned by reviewer',
      pendingInput: null,
    });
    // Between them, the previews of the replies being written (the worker is another process on the
    // folder store, whose live channel reaches this one), each a JSON line of its own.
    const previews = lines.filter((line) => typeof line.type === 'string' && line.type.startsWith('live_'));
    expect(lines).toHaveLength(events.length + previews.length + 2);
  });

  it('--detach prints only the run id and leaves the run going; the same --id again is refused', async () => {
    // No worker serves this queue yet, so the run is surely still going when the CLI returns.
    const taskQueue = uniqueTaskQueue('cli-detach');
    const id = runId('detach');
    const detached = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, '--detach', ...temporalFlags(taskQueue)], {
      env: runEnv,
    });
    expect(detached).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(await env.client.executionStatus(id)).toBe('RUNNING');

    const again = await runCli(['run', EXAMPLE_TEAM, 'Another task.', '--id', id, ...temporalFlags(taskQueue)], { env: runEnv });
    expect(expectCleanFailure(again)).toBe(
      `error: a run with id "${id}" already exists; choose another --id, or leave it out for a fresh one`,
    );

    const late = await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl } });
    try {
      const { snapshot, messages } = await late.client.result(id);
      expect(snapshot.status).toBe('completed');
      expect(messages[0]).toMatchObject({ source: 'user', content: 'Write a note.' });
    } finally {
      await late.stop();
    }
  });

  it('refuses the id of a run that has ended too, and leaves that run as it was', async () => {
    const id = runId('reuse');
    const first = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, ...temporalFlags(env.taskQueue)], { env: runEnv });
    expect(first).toMatchObject({ code: 0 });
    const handle = env.client.client.workflow.getHandle(id);
    const before = (await handle.describe()).runId;

    const second = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, ...temporalFlags(env.taskQueue)], { env: runEnv });
    expect(expectCleanFailure(second)).toContain(`a run with id "${id}" already exists`);
    expect(second.stdout).toBe('');
    const after = await handle.describe();
    expect({ runId: after.runId, status: after.status.name }).toEqual({ runId: before, status: 'COMPLETED' });
  });

  it('without --id makes a fresh id from the team name', async () => {
    const result = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--detach', ...temporalFlags(env.taskQueue)], { env: runEnv });
    expect(result).toMatchObject({ code: 0 });
    const id = result.stdout.trim();
    expect(id).toMatch(/^review-\S+$/);
    expect(await runExists(env.client, id)).toBe(true);
    await env.client.result(id);
  });
});

describe('durable-teams run, when the run fails', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { ...REVIEW_SCRIPT, failures: [{ status: 401, agent: 'writer' }] } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it('exits 1 with one error line naming the agent', async () => {
    const id = runId('fail');
    const result = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, ...temporalFlags(env.taskQueue)], {
      env: { OPENAI_BASE_URL: model.baseUrl },
    });

    const error = expectCleanFailure(result);
    expect(error).toMatch(new RegExp(`^error: run ${id} failed: agent "writer": .*answered 401`));
    expect(result.stdout).toContain('[researcher]');
    expect(result.stdout).not.toContain('[writer]');
    expect((await env.client.getState(id)).status).toBe('failed');
    expect(model.countRequests({ agent: 'writer' })).toBe(1);
  });

  it('with --json the last line is the failed result', async () => {
    const id = runId('fail-json');
    const result = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, '--json', ...temporalFlags(env.taskQueue)], {
      env: { OPENAI_BASE_URL: model.baseUrl },
    });

    expectCleanFailure(result);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({
      type: 'result',
      id,
      status: 'failed',
      error: expect.stringContaining('agent "writer"'),
    });
  });
});
