import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientFactory, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { printable, printableLines, quoted } from '../../src/core/display-text';
import { ConversationStore } from '../../src/store/conversation-store';
import { FileBackend } from '../../src/store/file-backend';
import { contextIdProblem, idProblem, isRunIdShape } from '../../src/temporal/run-ids';
import { TeamClient } from '../../src/client/team-client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { initialRunMemo } from '../../src/visibility/run-memo';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { a2aError, sendParams, userMessage } from '../a2a/a2a-env';
import { eventually, expectCleanFailure, runCli, temporalFlags } from '../cli/cli-helpers';
import { rawCall } from './raw-http';

const RULE = 'use 1–128 characters of A–Z a–z 0–9 . _ - :, starting with a letter or digit';

/** Ids that broke things (issue 29): a newline, other scripts, a right-to-left override, a path, 2,000 characters. */
const BAD_IDS = ['x\ny', 'café-1', 'report\u202egnp.exe', '../escape', 'a'.repeat(2_000), '-leading-dash', ''];
/** Context ids are freer (clients choose them; our own remote calls send `<run>/<agent>`), but not these. */
const BAD_CONTEXT_IDS = ['x\ny', 'café-1', 'report\u202egnp.exe', 'a b', 'a'.repeat(257), ''];

describe('the rule of run and context ids, and how they are shown', () => {
  it('takes short printable ASCII ids and names the rule for any other, the id shown escaped and cut short', () => {
    for (const ok of ['review-1a2b3c4d5e6f', 'a', 'A.b_c-d:e', '9'.repeat(128)]) expect([ok, idProblem(ok, 'run id')]).toEqual([ok, null]);
    expect(idProblem('x\ny', 'run id')).toBe(`run id "x\\ny": ${RULE}`);
    expect(idProblem('report\u202egnp.exe', '--id')).toBe(`--id "report\\u{202e}gnp.exe": ${RULE}`);
    expect(idProblem('a'.repeat(2_000), 'message.contextId')).toBe(`message.contextId "${'a'.repeat(80)}…" (2000 characters): ${RULE}`);
    for (const bad of BAD_IDS) expect(idProblem(bad, 'run id')).not.toBeNull();
    for (const ok of ['0f8fad5b-d9cb-469f-a165-70867728950e', 'review-1a2b3c4d5e6f/researcher', '../a', 'x'.repeat(256)])
      expect([ok, contextIdProblem(ok, 'message.contextId')]).toEqual([ok, null]);
    for (const bad of BAD_CONTEXT_IDS) expect(contextIdProblem(bad, 'message.contextId')).not.toBeNull();
    expect(idProblem('9'.repeat(129), 'run id')).not.toBeNull();
  });

  it('knows the ids runs may have: a chosen one, or a nested team’s run under one', () => {
    expect(isRunIdShape('review-1a2b3c4d5e6f')).toBe(true);
    expect(isRunIdShape('review-1a2b3c4d5e6f/turn-3/editors')).toBe(true);
    expect(isRunIdShape('review-1a2b3c4d5e6f/turn-3/editors/turn-0/proof_reader')).toBe(true);
    for (const bad of [...BAD_IDS, 'review-1/turn-x/editors', 'review-1/etc/passwd'])
      expect([bad, isRunIdShape(bad)]).toEqual([bad, false]);
  });

  it('shows text with its control characters and bidi overrides escaped, other scripts as they are', () => {
    expect(printable('a\nb\tc\u001b[31md\u202ee\u2066f\u0085')).toBe('a\\nb\\tc\\u{001b}[31md\\u{202e}e\\u{2066}f\\u{0085}');
    expect(printable('café ünïcödé 日本')).toBe('café ünïcödé 日本');
    expect(printableLines('one\n\ttwo\u001b[2J')).toBe('one\n\ttwo\\u{001b}[2J');
    expect(quoted('x'.repeat(90), 10)).toBe(`"${'x'.repeat(10)}…" (90 characters)`);
  });
});

/**
 * Ids are checked where they come in, before anything is written: no workflow, no store folder,
 * no ledger entry. Lookups of an id no run could have answer "not found", as for any unknown id.
 */
describe('run and context ids where they come in', () => {
  let folder: string;
  let store: ConversationStore;
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let server: A2AServer;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'run-ids-'));
    store = new ConversationStore(await FileBackend.open(folder));
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, store });
    server = await startA2AServer({ teams: [reviewTeam()], client: worker.client, port: 0, version: '0', tokens: null, secrets: null });
  });
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
    await model?.close();
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const storedRuns = async () => (await store.backend.listRuns()).map((run) => run.runId);

  it('TeamClient.start and fork refuse a bad id naming the rule, and write nothing anywhere', async () => {
    const client = worker.client;
    for (const id of BAD_IDS) {
      await expect(client.start(reviewTeam(), 'Write.', { runId: id })).rejects.toThrow(idProblem(id, 'run id')!);
      await expect(client.fork('review-anything', { atTurn: 0, runId: id })).rejects.toThrow(idProblem(id, 'run id')!);
    }
    expect(await storedRuns()).toEqual([]);
    for (const id of BAD_IDS.filter(Boolean)) {
      await expect(client.executionStatus(id)).rejects.toThrow(/no run with id|not found|invalid/i);
    }
  });

  it('answers a lookup of an id no run could have as "not found", asking nobody', async () => {
    for (const id of BAD_IDS) {
      await expect(worker.client.peek(id)).rejects.toMatchObject({
        name: 'RunNotFoundError',
        message: expect.stringContaining(`no run with id ${quoted(id)}`),
      });
      await expect(worker.client.report(id)).rejects.toMatchObject({ name: 'RunNotFoundError' });
    }
    const a2a = await new ClientFactory({ transports: [new JsonRpcTransportFactory({})] }).createFromUrl(server.teamUrls.review!);
    for (const id of BAD_IDS.filter(Boolean)) {
      expect(await a2aError(a2a.getTask({ tenant: '', id, historyLength: 0 }))).toMatchObject({
        code: -32001,
        message: `task ${id} not found`,
      });
      const page = await rawCall(server.url, 'GET', `/console/api/runs/${encodeURIComponent(id)}`);
      expect([id.slice(0, 20), page.status, page.message]).toEqual([id.slice(0, 20), 404, `run ${quoted(id)} not found`]);
    }
    expect(await storedRuns()).toEqual([]);
  });

  it('refuses an A2A message whose new context id breaks the rule with -32602 naming message.contextId, starting nothing', async () => {
    const a2a = await new ClientFactory().createFromUrl(server.teamUrls.review!);
    for (const id of BAD_CONTEXT_IDS.filter(Boolean)) {
      const err = await a2aError(a2a.sendMessage(sendParams(userMessage('Write.', { contextId: id }))));
      expect([id.slice(0, 20), err.code, err.message]).toEqual([id.slice(0, 20), -32602, contextIdProblem(id, 'message.contextId')]);
    }
    expect(await storedRuns()).toEqual([]);
  });

  it('the CLI refuses a bad --id or --context as a usage error, the id escaped on one line, before it connects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-ids-cli-'));
    try {
      const teamFile = join(dir, 'team.json');
      writeFileSync(teamFile, JSON.stringify(reviewTeam()));
      for (const [flag, id] of [
        ['--id', 'x\ny'],
        ['--id', 'report\u202egnp.exe'],
        ['--id', 'a'.repeat(2_000)],
        ['--context', 'café'],
      ] as const) {
        const result = await runCli(['run', teamFile, 'Write.', flag, id, '--no-key-check', '--address', '127.0.0.1:1']);
        const problem = flag === '--id' ? idProblem(id, flag) : contextIdProblem(id, flag);
        expect(expectCleanFailure(result, 2)).toBe(`error: ${problem}`);
        expect(result.stderr).not.toMatch(/[\u202e]/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI prints ids others chose escaped: a run begun before the rule in `list`, an unknown one in `status`', async () => {
    const evil = `legacy\u202eexe.${randomBytes(3).toString('hex')}`;
    // A run as an older client could start one: on a queue no worker serves, its id unchecked.
    const idle = new TeamClient(worker.client.client, `no-worker-${randomBytes(3).toString('hex')}`, store, null);
    await idle.startWorkflow(evil, { v: 1, team: reviewTeam(), task: 'Write.', contextId: null }, initialRunMemo('review', null));
    try {
      const listed = await eventually(async () => {
        const result = await runCli(['list', '--limit', '100', ...temporalFlags(worker.taskQueue)]);
        expect(result.stdout).toContain(printable(evil));
        return result;
      });
      expect(listed.stdout).not.toContain('\u202e');
      const status = await runCli(['status', 'x\u202ey\nz', ...temporalFlags(worker.taskQueue)]);
      expect(expectCleanFailure(status)).toBe(
        'error: no run with id "x\\u{202e}y\\nz" in namespace "default"; `durable-teams list` shows the runs',
      );
    } finally {
      await worker.client.client.workflow.getHandle(evil).terminate('test over');
    }
  });
});
