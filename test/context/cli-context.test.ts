import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { errorLines, expectCleanFailure, jsonLines, runCli, tempDir, temporalFlags } from '../cli/cli-helpers';
import { lastRequest, SESSION_SCRIPT, textsOf } from './context-teams';

const TEAM_FILE = `
name: cli-session
pattern: round_robin
model: { model: scripted }
agents:
  - { name: researcher, description: Finds facts. }
  - { name: writer, description: Answers. }
termination: { type: max_messages, max: 3 }
`;

const runId = (name: string) => `cli-session-${name}-${Math.random().toString(16).slice(2, 10)}`;

/**
 * Follow-ups from the command line: `run --continue <run>` begins with that run's conversation
 * (a run the CLI started, with no context of its own, begins one), `run --context <id>` joins a
 * context by its id, `--reference` reads another run's answer, and `transcript --context` prints
 * the whole session, task by task. All as processes against the real dev server.
 */
describe('follow-ups from the CLI', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let files: ReturnType<typeof tempDir>;
  let teamFile: string;
  const cli = (args: string[]) => runCli([...args, ...temporalFlags(env.taskQueue)], { env: { OPENAI_BASE_URL: model.baseUrl } });

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: SESSION_SCRIPT });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    files = tempDir();
    teamFile = files.write('session.yaml', TEAM_FILE);
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
    files?.remove();
  });

  it('run --continue, run --context and transcript --context', async () => {
    const first = runId('first');
    expect(await cli(['run', teamFile, 'What is A?', '--id', first])).toMatchObject({ code: 0 });

    const second = runId('second');
    const continued = await cli(['run', teamFile, 'And B?', '--id', second, '--continue', first, '--json']);
    expect(continued).toMatchObject({ code: 0 });
    // The run the CLI started had no context: its follow-up begins one named after it.
    expect(jsonLines(continued.stdout)[0]).toEqual({ type: 'started', id: second, team: 'cli-session', context: first });
    expect(textsOf(lastRequest(model.requests, second, 'writer'))).toEqual(['What is A?', 'fact 1', 'answer 1', 'And B?', 'fact 2']);

    const third = runId('third');
    expect(await cli(['run', teamFile, 'And C?', '--id', third, '--context', first])).toMatchObject({ code: 0 });
    expect(textsOf(lastRequest(model.requests, third, 'researcher')).slice(-2)).toEqual(['answer 2', 'And C?']);

    const session = await cli(['transcript', '--context', first]);
    expect(session).toMatchObject({ code: 0 });
    expect(errorLines(session.stderr)).toEqual([]);
    const headers = [...session.stdout.matchAll(/^== task (\d) of 3: (\S+)$/gm)].map((m) => [m[1], m[2]]);
    expect(headers).toEqual([
      ['1', first],
      ['2', second],
      ['3', third],
    ]);
    expect(session.stdout.indexOf('What is A?')).toBeLessThan(session.stdout.indexOf('And B?'));

    // Another run's answer, by reference, in a run of no context.
    const citing = runId('citing');
    expect(await cli(['run', teamFile, 'Compare.', '--id', citing, '--reference', third])).toMatchObject({ code: 0 });
    expect(textsOf(lastRequest(model.requests, citing, 'researcher'))).toEqual(expect.arrayContaining(['And C?', 'answer 3', 'Compare.']));
  }, 90_000);

  it('bad combinations and unknown contexts are refused by name', async () => {
    const both = await cli(['run', teamFile, 'x', '--context', 'a', '--continue', 'b']);
    expect(expectCleanFailure(both)).toContain('give --context or --continue, not both');
    const unknown = await cli(['transcript', '--context', `no-such-context-${Date.now()}`]);
    expect(expectCleanFailure(unknown)).toContain('has no tasks on record');
    const missing = await cli(['run', teamFile, 'x', '--continue', 'no-such-run']);
    expect(expectCleanFailure(missing)).toContain('no run with id "no-such-run"');
  }, 60_000);
});
