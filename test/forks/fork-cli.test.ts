import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { expectCleanFailure, jsonLines, runCli, runExists, temporalFlags } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';

/**
 * `durable-teams fork` as a process: a fork followed to its end, and bad input refused with one
 * line that names what was wrong, starting nothing.
 */
describe('durable-teams fork', () => {
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let original: string;
  let flags: string[];

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    flags = temporalFlags(worker.taskQueue);
    original = await worker.client.start(reviewTeam(), 'Write a note.');
    await worker.client.result(original);
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await model?.close();
  });

  it('forks a finished run and follows the fork to its end (exit 0), its lineage in status', async () => {
    const result = await runCli(['fork', original, '--at-turn', '5', '--id', `${original}-fork`, '--json', ...flags]);
    expect(result).toMatchObject({ code: 0 });
    expect(jsonLines(result.stdout)[0]).toMatchObject({ type: 'started', id: `${original}-fork`, forkedFrom: { run: original, turn: 5 } });
    const status = await runCli(['status', `${original}-fork`, ...flags]);
    expect(status.stdout).toContain(`forked from:   ${original} at turn 5`);
    expect(status.stdout).toMatch(/status:\s+completed/);
    // `list` shows the lineage from the memo (visibility may lag a moment behind the start).
    let listed: Awaited<ReturnType<typeof worker.client.list>>[number] | undefined;
    for (let i = 0; i < 50 && !listed?.forkedFrom; i++) {
      listed = (await worker.client.list({ limit: 500 })).find((r) => r.runId === `${original}-fork`);
      if (!listed) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(listed?.forkedFrom).toEqual({ run: original, turn: 5 });
  });

  it.each([
    [['--at-turn', '9'], '--at-turn 9: the run has 6 turns'],
    [
      ['--at-turn', '3', '--agent', 'nobody.model=m'],
      '--agent nobody.model: team "review" has no agent "nobody" (it has researcher, writer, reviewer)',
    ],
    [['--at-turn', '3', '--edit', '4=late'], '--edit 4: the fork keeps messages 0 to 3'],
  ])('refuses %j with one line naming it, and starts nothing', async (args, message) => {
    const id = `${original}-refused-${args.join('').replace(/[^a-z0-9]/gi, '')}`;
    const line = expectCleanFailure(await runCli(['fork', original, ...args, '--id', id, ...flags]));
    expect(line).toContain(message);
    expect(await runExists(worker.client, id)).toBe(false);
    expect(await worker.client.store.records(id)).toEqual([]); // nothing written either
  });

  it('refuses an unknown run, naming it, and a turn that is no number as a usage error', async () => {
    expect(expectCleanFailure(await runCli(['fork', 'no-such-run', '--at-turn', '1', ...flags]))).toContain('no run with id "no-such-run"');
    expect(expectCleanFailure(await runCli(['fork', original, '--at-turn', 'three', ...flags]), 2)).toContain(
      '--at-turn three: give a whole number of turns',
    );
  });
});
