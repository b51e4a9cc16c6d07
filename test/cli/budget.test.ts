import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';
import { expectCleanFailure, jsonLines, runCli, tempDir, temporalFlags } from './cli-helpers';

/** The review team on the scripted model, each call capped at 100 reply tokens. */
const TEAM_YAML = `version: 1
name: budgeted
pattern: round_robin
model: { model: scripted, maxTokens: 100 }
agents:
  - { name: researcher, description: Finds facts. }
  - { name: writer, description: Writes drafts. }
  - { name: reviewer, description: Reviews drafts. }
termination: { type: text_mention, text: APPROVED, sources: [reviewer] }
`;

/** Every call reports 150 tokens: a budget of 400 takes two calls and refuses the third. */
const used = { promptTokens: 100, completionTokens: 50 };
const replies = (...texts: string[]) => texts.map((content) => ({ content, usage: used }));
const SCRIPT = {
  agents: {
    researcher: replies('fact one', 'fact two'),
    writer: replies('draft one', 'draft two'),
    reviewer: replies('needs work', 'APPROVED'),
  },
};

describe('durable-teams run with a budget, and budget answers', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  const dir = tempDir();
  const teamFile = dir.write('budgeted.yaml', TEAM_YAML);
  beforeAll(async () => {
    model = await startScriptedModelServer({ script: SCRIPT });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
    dir.remove();
  });

  it('bad budget flags: one line each, exit 2, nothing started', async () => {
    const flags = temporalFlags(env.taskQueue);
    const run = (...extra: string[]) => runCli(['run', teamFile, 'Go.', '--no-key-check', ...extra, ...flags]);
    expect(expectCleanFailure(await run('--budget-tokens', 'lots'), 2)).toMatch(
      /--budget-tokens must be a positive whole number, not "lots"/,
    );
    expect(expectCleanFailure(await run('--on-exceed', 'later', '--budget-tokens', '5'), 2)).toMatch(
      /--on-exceed must be "stop" or "ask", not "later"/,
    );
    expect(expectCleanFailure(await run('--budget-usd', '1'), 2)).toMatch(/the budget flags: no price for model "scripted"/);
    expect(expectCleanFailure(await runCli(['budget', 'some-run', ...flags]), 2)).toMatch(
      /give --raise-tokens and\/or --raise-usd, or --stop/,
    );
  });

  it('run --budget-tokens --on-exceed ask waits at the budget; budget --raise-tokens lets it finish; spend in status, transcript and list', async () => {
    const flags = temporalFlags(env.taskQueue);
    const id = `cli-budget-${Math.random().toString(16).slice(2, 10)}`;
    const started = await runCli([
      'run',
      teamFile,
      'Write a note.',
      '--id',
      id,
      '--no-key-check',
      '--detach',
      '--budget-tokens',
      '400',
      '--on-exceed',
      'ask',
      ...flags,
    ]);
    expect(started).toMatchObject({ code: 0 });
    const request = await nextRequest(env.client, id);
    expect(request.kind).toBe('budget');

    const waiting = await runCli(['status', id, ...flags]);
    expect(waiting.stdout).toMatch(/^spend: +300 tokens of 400, \$0\.0000 \(on exceed: ask\)$/m);
    expect(waiting.stdout).toContain(`answer with: durable-teams budget --raise-tokens N | --raise-usd X | --stop <id> ...`);

    expect(expectCleanFailure(await runCli(['budget', id, '--raise-tokens', '350', ...flags]))).toMatch(
      /refused the answer: maxTotalTokens: 350 does not raise the limit of 400/,
    );
    const raised = await runCli(['budget', id, '--raise-tokens', '2000', ...flags]);
    expect(raised).toMatchObject({ code: 0 });
    expect(raised.stdout).toContain(`${id}: raise taken for request ${request.requestId}`);
    await env.client.result(id);

    const status = jsonLines((await runCli(['status', id, '--json', ...flags])).stdout)[0]!;
    expect(status).toMatchObject({ status: 'completed', spend: { totalTokens: 900, budget: { maxTotalTokens: 2000, onExceed: 'ask' } } });
    const transcript = jsonLines((await runCli(['transcript', id, '--json', ...flags])).stdout);
    expect(transcript.at(-1)).toMatchObject({ type: 'spend', totalTokens: 900 });
    // `list` shows the namespace's newest runs, and the suite's other files start runs meanwhile.
    const listed = jsonLines((await runCli(['list', '--json', '--limit', '500', ...flags])).stdout).find((r) => r.runId === id);
    expect(listed).toMatchObject({ status: 'completed', spend: { totalTokens: 900 } });
  });
});
