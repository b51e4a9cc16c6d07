import type { RunSnapshot } from '../../src/core/state';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';
import { CliProcess, runCli, tempDir, temporalFlags, type CliOptions, type CliResult } from './cli-helpers';

/** A writer and a human editor taking turns; the editor's DONE ends the run. */
export const EDITOR_TEAM = `
version: 1
name: edited
pattern: round_robin
model: { model: scripted }
agents:
  - { name: writer, description: Writes drafts. }
  - { name: editor, kind: human, description: A person who edits., prompt: "Edit the draft, or say DONE." }
termination:
  type: any
  conditions:
    - { type: text_mention, text: DONE, sources: [editor] }
    - { type: max_messages, max: 9 }
`;
export const EDITOR_PROMPT = 'Edit the draft, or say DONE.';

/** A writer and a reviewer; the reviewer's APPROVED asks a person to approve before the run completes. */
export const APPROVAL_TEAM = `
version: 1
name: gated
pattern: round_robin
model: { model: scripted }
agents:
  - { name: writer, description: Writes drafts. }
  - { name: reviewer, description: Reviews drafts. }
termination:
  type: any
  conditions:
    - { type: text_mention, text: APPROVED, sources: [reviewer] }
    - { type: max_messages, max: 20 }
approval: {}
`;

/** The approval team whose person has two seconds to decide; then the run is rejected for them. */
export const DEADLINE_TEAM = APPROVAL_TEAM.replace('approval: {}', 'approval: { timeout: { after: 2s, action: reject } }');

/** A model agent whose turn takes a minute, then the editor: the run is busy, not waiting, while the turn is in flight. */
export const BUSY_TEAM = `
version: 1
name: busy
pattern: round_robin
model: { model: scripted }
agents:
  - { name: slow, description: Takes its time. }
  - { name: editor, kind: human, description: A person who edits. }
termination: { type: max_messages, max: 3 }
`;

export const HUMAN_SCRIPT = {
  agents: {
    writer: ['draft one', 'draft two', 'draft three'],
    reviewer: ['APPROVED', 'APPROVED', 'APPROVED'],
    slow: { replies: ['at last'], latencyMs: 60_000 },
  },
};

/**
 * The questions `run --prompt` asks on stderr. Not anchored to a line end: with stdin not a
 * terminal nothing echoes the answer, so the next question follows on the same line.
 */
export const INPUT_QUESTION = /your answer \(or \/reject \[reason\]\): /;
export const DECISION_QUESTION = /\[a\]pprove, \[r\]eject or request \[c\]hanges\? /;

/** A scripted model, a worker in this process and the team files, for CLI tests of runs that wait on people. */
export interface HumanCli {
  model: ScriptedModelServer;
  /** The worker now serving the task queue (a new one after `startWorker`). */
  readonly env: TestWorker;
  taskQueue: string;
  /** Stops the worker: the runs wait, safe in Temporal, and only what Temporal itself knows can be read. */
  stopWorker(): Promise<void>;
  /** Starts a worker on the same task queue again. */
  startWorker(): Promise<void>;
  teams: { editor: string; approval: string; deadline: string; busy: string };
  /** `durable-teams <args>` against the worker's task queue. */
  cli(args: string[], options?: CliOptions): Promise<CliResult>;
  /** The same, as a process the test talks to while it runs. */
  spawn(args: string[], options?: CliOptions): CliProcess;
  /** Starts a run with `run --detach` and returns its id once it waits on a person. */
  startWaiting(team: string, name: string, task?: string): Promise<string>;
  /** A fresh run id. */
  id(name: string): string;
  /** The run's state, asked of the worker. */
  state(id: string): Promise<RunSnapshot>;
  close(): Promise<void>;
}

export async function startHumanCli(): Promise<HumanCli> {
  const model = await startScriptedModelServer({ script: HUMAN_SCRIPT });
  const taskQueue = uniqueTaskQueue('cli-human');
  let env: TestWorker | null = await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl } });
  const worker = (): TestWorker => {
    if (!env) throw new Error('no worker is running: startWorker() first');
    return env;
  };
  const dir = tempDir('durable-teams-human-');
  const teams = {
    editor: dir.write('editor.yaml', EDITOR_TEAM),
    approval: dir.write('approval.yaml', APPROVAL_TEAM),
    deadline: dir.write('deadline.yaml', DEADLINE_TEAM),
    busy: dir.write('busy.yaml', BUSY_TEAM),
  };
  const withFlags = (args: string[], options: CliOptions = {}): [string[], CliOptions] => [
    [...args, ...temporalFlags(taskQueue)],
    { ...options, env: { OPENAI_BASE_URL: model.baseUrl, ...options.env } },
  ];
  const id = (name: string) => `cli-human-${name}-${Math.random().toString(16).slice(2, 10)}`;
  const cli = (args: string[], options?: CliOptions) => runCli(...withFlags(args, options));
  return {
    model,
    get env() {
      return worker();
    },
    taskQueue,
    async stopWorker() {
      await worker().stop();
      env = null;
    },
    async startWorker() {
      if (!env) env = await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl } });
    },
    teams,
    cli,
    spawn: (args, options) => new CliProcess(...withFlags(args, options)),
    id,
    state: (runId) => worker().client.getState(runId),
    async startWaiting(team, name, task = 'Write a note.') {
      const runId = id(name);
      const started = await cli(['run', team, task, '--id', runId, '--detach']);
      expect(started).toMatchObject({ code: 0, stdout: `${runId}\n` });
      await nextRequest(worker().client, runId);
      return runId;
    },
    async close() {
      await env?.stop();
      await model.close();
      dir.remove();
    },
  };
}
