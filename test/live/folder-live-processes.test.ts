import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { rendezvousDirOf } from '../../src/live/local-rendezvous';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess } from '../../src/testing/worker-process';
import { childEnv, CliProcess, jsonLines, runCli, temporalFlags } from '../cli/cli-helpers';
import { ROOT } from '../helpers/teams';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { draftsOf } from './drafts';

/**
 * The README's walkthrough: the embedded folder store, no PostgreSQL, and a `worker`, a `serve`
 * and a `run` each in a process (a terminal) of its own. The text the worker's model is writing
 * reaches the other processes through the folder store's live channel (Unix sockets beside it).
 */

const TEAM_FILE = join(ROOT, 'examples/teams/review.yaml');
const BIN = join(ROOT, 'bin', 'durable-teams');
const words = (name: string, count: number) => Array.from({ length: count }, (_, i) => `${name}${i}`).join(' ');
const textOf = (parts: { content?: { $case: string; value: unknown } }[] = []) =>
  parts.map((part) => (part.content?.$case === 'text' ? (part.content.value as string) : '')).join('');

describe('live previews across processes on the folder store (worker, serve and run apart)', () => {
  let model: ScriptedModelServer;
  let folder: string;
  let env: Record<string, string>;
  const taskQueue = uniqueTaskQueue('live-folder');
  const processes: { stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    // A folder store of this file's own (the kind `worker` uses when nothing is configured).
    folder = mkdtempSync(join(tmpdir(), 'dt-live-walkthrough-'));
    env = { DURABLE_TEAMS_STORE: folder };
    model = await startScriptedModelServer({
      script: {
        agents: {
          researcher: { replies: [words('fact', 30)], tokenDelayMs: 40 },
          writer: { replies: [words('draft', 30)], tokenDelayMs: 40 },
          reviewer: { replies: ['APPROVED'], tokenDelayMs: 40 },
        },
      },
    });
    const worker = await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl, env });
    processes.push({ stop: () => worker.kill('SIGKILL') });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await model?.close();
    if (folder) {
      rmSync((await rendezvousDirOf(folder))!, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('an A2A client of a separate `serve` sees each reply in draft chunks before its recorded message', async () => {
    const serve = new CliProcess(['serve', TEAM_FILE, '--port', '0', ...temporalFlags(taskQueue)], { timeoutMs: 300_000, env });
    processes.push({ stop: () => serve.stop('SIGKILL') });
    const [, url] = await serve.waitFor('stdout', /^review (http:\S+)$/m);
    const client = await new ClientFactory().createFromUrl(url!);

    const events: StreamResponse[] = [];
    for await (const event of client.sendMessageStream(sendParams(userMessage('Write a note.')))) events.push(event);

    // Thirty words 40 ms apart: the writer's reply reached the front end in many chunks, whole.
    const draft = [...draftsOf(events).values()].find((d) => d.text === words('draft', 30));
    expect(draft).toBeDefined();
    expect(draft!.chunks).toBeGreaterThan(5);
    // Written first, recorded after: the first chunk came before the message it became.
    const firstChunk = events.findIndex(
      (e) => e.payload?.$case === 'artifactUpdate' && textOf(e.payload.value.artifact?.parts).startsWith('draft0'),
    );
    const recorded = events.findIndex(
      (e) => e.payload?.$case === 'statusUpdate' && textOf(e.payload.value.status?.message?.parts) === words('draft', 30),
    );
    expect(firstChunk).toBeGreaterThanOrEqual(0);
    expect(recorded).toBeGreaterThan(firstChunk);
    const last = events.at(-1)?.payload;
    expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('`run` in its own process prints the text being written, as live_delta lines, before the message it becomes', async () => {
    const run = await runCli(['run', TEAM_FILE, 'Write a note.', '--json', '--no-key-check', ...temporalFlags(taskQueue)], {
      env,
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const deltas = lines.filter((l) => l.type === 'live_delta' && l.agent === 'writer');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((l) => l.text).join('')).toBe(words('draft', 30));
    // A preview says who writes what, and nothing of the worker that sent it.
    for (const delta of deltas) expect(Object.keys(delta).sort()).toEqual(['agent', 'attempt', 'call', 'runId', 'text', 'turn', 'type']);
    const message = lines.findIndex((l) => l.type === 'message' && (l.message as { source: string }).source === 'writer');
    expect(message).toBeGreaterThan(lines.indexOf(deltas.at(-1)!));
  });

  it("`run` on a terminal shows the writer's words as they come, and prints its recorded reply no second time", async () => {
    // A real pseudo-terminal (util-linux `script`), so `run` sees a TTY as a person's shell gives it.
    const command = [process.execPath, BIN, 'run', TEAM_FILE, 'Write a note.', '--no-key-check', ...temporalFlags(taskQueue)]
      .map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: childEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const reads: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => reads.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    const screen = reads.join('').replace(/\r/g, '');
    expect(code).toBe(0);
    // The draft came over many reads of the terminal (a recorded message is written in one).
    const readsWithDraft = reads.filter((chunk) => /draft\d/.test(chunk));
    expect(readsWithDraft.length).toBeGreaterThan(3);
    // Shown once per attempt that wrote it (a worker starved past its heartbeat writes it again,
    // after a "written again" note), under its speaker: the recorded message was not printed again.
    expect(screen).toContain('[writer]');
    const attempts = 1 + (screen.match(/written again/g) ?? []).length;
    expect(screen.split('draft29').length - 1).toBe(attempts);
    expect(screen.replace(/\s+/g, ' ')).toContain(words('draft', 30));
  });
});
