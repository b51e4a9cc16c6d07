import { ClientFactory } from '@a2a-js/sdk/client';
import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { main } from '../../src/cli/main';
import type { RunStall } from '../../src/core/stall';
import { testTemporalAddress } from '../../src/testing/temporal-env';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { STALL_MESSAGE } from '../fixtures/stalling-workflows';
import { reviewTeam } from '../helpers/teams';
import { eventually, startFixtureWorker, startStallingEnv } from './stall-env';

/** Runs the CLI in this process and returns what it wrote to stdout. */
async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['node', 'durable-teams', ...args]);
    return { code, stdout: written.join('') };
  } finally {
    spy.mockRestore();
  }
}

const stalledOf = (metadata: Record<string, unknown> | undefined) =>
  (metadata?.durableTeams as { stalled?: RunStall | null } | undefined)?.stalled;

describe('a stalled run, as status, A2A and follow show it', () => {
  let stalling: Awaited<ReturnType<typeof startStallingEnv>>;
  let server: A2AServer;
  let runId: string;

  beforeAll(async () => {
    stalling = await startStallingEnv();
    server = await startA2AServer({
      teams: [reviewTeam()],
      client: stalling.client,
      port: 0,
      version: '0.0.0-test',
      tokens: null,
      secrets: null,
    });
    runId = await stalling.client.start(reviewTeam(), 'Write a note.');
    await eventually(() => stalling.client.stall(runId));
  });
  afterAll(async () => {
    await server?.close();
    await stalling?.stop();
  });

  it('`status --json` says stalled, with the error, and still the run status', async () => {
    const { code, stdout } = await cli(['status', runId, '--json', '--address', testTemporalAddress(), '--task-queue', stalling.taskQueue]);
    expect(code).toBe(0);
    const record = JSON.parse(stdout.trim()) as { status: string; stalled: RunStall | null };
    expect(record.status).toBe('working');
    expect(record.stalled?.message).toContain(STALL_MESSAGE);
    expect(record.stalled?.cause).toBe('WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE');
  });

  it('`status` prints the reason on one line for people', async () => {
    const { stdout } = await cli(['status', runId, '--address', testTemporalAddress(), '--task-queue', stalling.taskQueue]);
    expect(stdout).toMatch(/status: +working \(stalled\)/);
    expect(stdout).toContain(`stalled: its workflow task failed`);
    expect(stdout).toContain(STALL_MESSAGE);
  });

  it('`list --stalled` finds it, with why; plain `list` stays one visibility read, with no stalled field', async () => {
    const flags = ['--json', '--limit', '100', '--address', testTemporalAddress(), '--task-queue', stalling.taskQueue];
    // The listing ends whole (a run of another file it cannot read is no reason to fail), then is read.
    const stalledList = await cli(['list', '--stalled', ...flags]);
    expect(stalledList.code).toBe(0);
    const listed = stalledList.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { runId: string; stalled?: RunStall | null });
    expect(listed.find((run) => run.runId === runId)?.stalled?.message).toContain(STALL_MESSAGE);
    const plain = (await cli(['list', ...flags])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { runId: string; stalled?: unknown });
    expect(plain.find((run) => run.runId === runId)).not.toHaveProperty('stalled');
  });

  it('A2A GetTask keeps the task working, with the reason in its status message and metadata', async () => {
    const a2a = await new ClientFactory().createFromUrl(server.teamUrls.review!);
    const task = await a2a.getTask({ tenant: '', id: runId, historyLength: 0 });
    expect(task.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    const text = task.status?.message?.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
    expect(text).toContain('stalled');
    expect(text).toContain(STALL_MESSAGE);
    expect(stalledOf(task.metadata)?.message).toContain(STALL_MESSAGE);
  });

  it('the A2A stream of a new task that stalls says so in a working status update', async () => {
    const a2a = await new ClientFactory().createFromUrl(server.teamUrls.review!);
    let update: StreamResponse | undefined;
    for await (const event of a2a.sendMessageStream(sendParams(userMessage('Write another note.')))) {
      if (event.payload?.$case === 'statusUpdate' && stalledOf(event.payload.value.metadata)) {
        update = event;
        break;
      }
    }
    const status = update?.payload?.$case === 'statusUpdate' ? update.payload.value : undefined;
    expect(status?.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    expect(stalledOf(status?.metadata)?.message).toContain(STALL_MESSAGE);
  });

  // Last: it replaces the stalling worker with the fixed one.
  it('follow tells once that the run stalled, and again when a fixed deploy lets it go on', async () => {
    const notices: (RunStall | null)[] = [];
    const stop = new AbortController();
    const following = (async () => {
      for await (const event of stalling.client.follow(runId, { signal: stop.signal, onStalled: (stall) => notices.push(stall) }))
        void event;
    })();
    await eventually(async () => notices[0]);
    expect(notices[0]?.message).toContain(STALL_MESSAGE);

    await stalling.worker.stop();
    const healed = await startFixtureWorker(stalling.taskQueue, require.resolve('../fixtures/healed-workflows'));
    try {
      await eventually(async () => (notices.length > 1 ? true : null));
      expect(notices).toEqual([expect.objectContaining({ message: expect.stringContaining(STALL_MESSAGE) }), null]);
      expect(await stalling.client.stall(runId)).toBeNull();
    } finally {
      stop.abort();
      await following;
      await healed.stop();
    }
  });
});
