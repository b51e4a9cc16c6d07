import { basename } from 'node:path';
import { freePort } from '../../src/temporal/dev-server';
import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { EXAMPLE_TEAM, expectCleanFailure, jsonLines, runCli, runExists, tempDir, temporalFlags, type CliResult } from './cli-helpers';

/** A valid team around `agents` and `termination`, for files that break one rule each. */
const teamYaml = (agents: string, termination = '{ type: max_messages, max: 4 }', model = '{ model: m }') =>
  ['version: 1', 'name: t', 'pattern: round_robin', `model: ${model}`, 'agents:', agents, `termination: ${termination}`].join('\n');

const TWO_AGENTS = '  - { name: a, description: d }\n  - { name: b, description: d }';

/** Each bad team file, and what its one error line says after the file name. */
const BAD_TEAM_FILES: [what: string, text: string, error: RegExp][] = [
  [
    'malformed YAML, naming the line',
    'version: 1\nname: broken\npattern: round_robin\nmodel: { model: m }\nagents:\n  - name: a\n    description: d\n   - name: b\n',
    /: not valid YAML: line 8, column \d+: /,
  ],
  [
    'an unknown field, with a hint',
    teamYaml('  - { name: a, description: d, systemMesage: hi }\n  - { name: b, description: d }'),
    /: agents\[0\]: unknown field "systemMesage" \(did you mean "systemMessage"\?\)$/,
  ],
  [
    'a duplicate agent name, at its field path',
    teamYaml(`${TWO_AGENTS}\n  - { name: a, description: again }`),
    /: agents\[2\]\.name: duplicate agent name "a"$/,
  ],
  [
    'an unknown agent in a termination condition',
    teamYaml(TWO_AGENTS, '{ type: text_mention, text: DONE, sources: [carol] }'),
    /: termination\.sources\[0\]: unknown agent "carol"/,
  ],
];

describe('durable-teams with bad input', () => {
  const taskQueue = uniqueTaskQueue('cli-bad');
  const flags = temporalFlags(taskQueue);
  /** Loopback, so the key check passes; nothing listens there and nothing may call it. */
  const env = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
  let client: TeamClient;
  let dir: ReturnType<typeof tempDir>;
  let n = 0;
  const freshId = () => `cli-bad-${taskQueue}-${++n}`;

  /** A clean failure, no output on stdout, and no run `id` in Temporal. */
  async function expectRefused(result: CliResult, id: string | null, code = 1): Promise<string> {
    const error = expectCleanFailure(result, code);
    expect(result.stdout).toBe('');
    if (id) expect(await runExists(client, id)).toBe(false);
    return error;
  }

  beforeAll(async () => {
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
    dir = tempDir();
  });
  afterAll(async () => {
    await client?.close();
    dir?.remove();
  });

  describe('team files', () => {
    it.each(BAD_TEAM_FILES)('%s', async (_what, text, error) => {
      const file = dir.write(`team-${n}.yaml`, text);
      const id = freshId();
      const line = await expectRefused(await runCli(['run', file, 'Go.', '--id', id, ...flags], { env }), id);
      expect(line).toMatch(new RegExp(`^error: \\S*${basename(file).replace('.', '\\.')}${error.source}`));
    });

    it('a team file that does not exist', async () => {
      const id = freshId();
      const missing = `${dir.path}/no-such-team.yaml`;
      const line = await expectRefused(await runCli(['run', missing, 'Go.', '--id', id, ...flags], { env }), id);
      expect(line).toMatch(/^error: \S*no-such-team\.yaml: cannot read the team file: no such file$/);
    });
  });

  it.each([
    ['an empty', ''],
    ['a blank', '   '],
  ])('%s task', async (_what, task) => {
    const id = freshId();
    const line = await expectRefused(await runCli(['run', EXAMPLE_TEAM, task, '--id', id, ...flags], { env }), id);
    expect(line).toBe('error: the task is empty; say what the team should do');
  });

  it.each(['status', 'transcript', 'cancel', 'stop'])('%s of a run id that does not exist', async (command) => {
    const id = freshId();
    const line = await expectRefused(await runCli([command, id, ...flags]), id);
    expect(line).toBe(`error: no run with id "${id}" in namespace "default"; \`durable-teams list\` shows the runs`);
  });

  it.each(['run', 'status'])('%s with no Temporal server at --address says how to start one', async (command) => {
    const address = `127.0.0.1:${await freePort()}`;
    const id = freshId();
    const args = command === 'run' ? ['run', EXAMPLE_TEAM, 'Go.', '--id', id] : ['status', id];
    const result = await runCli([...args, '--address', address, '--task-queue', taskQueue], { env, timeoutMs: 15_000 });
    const line = await expectRefused(result, id);
    expect(line).toMatch(`error: cannot reach a Temporal server at ${address} (`);
    expect(line).toContain('start one with `durable-teams server` or point --address / TEMPORAL_ADDRESS at a running one');
  });

  it('a team on a real endpoint without OPENAI_API_KEY starts no run', async () => {
    const file = dir.write('openai.yaml', teamYaml(TWO_AGENTS, undefined, '{ model: gpt-4o-mini, baseUrl: "https://api.openai.com/v1" }'));
    const id = freshId();
    const line = await expectRefused(await runCli(['run', file, 'Go.', '--id', id, ...flags]), id);
    expect(line).toMatch(
      /^error: team "t", agent "a" calls https:\/\/api.openai.com\/v1, which needs a key, but OPENAI_API_KEY is not set here/,
    );
    expect(line).toContain('--no-key-check');

    // Nor does `list` show it (nor any other run of this file: none of them started one).
    const listed = await runCli(['list', '--json', '--limit', '1000', ...flags]);
    expect(jsonLines(listed.stdout).filter((run) => String(run.runId).startsWith(`cli-bad-${taskQueue}-`))).toEqual([]);
  });

  describe('usage errors exit 2', () => {
    it.each([
      ['an unknown command', ['bogus'], /^error: unknown command 'bogus'/],
      ['a missing argument', ['run', EXAMPLE_TEAM], /^error: missing required argument 'task'/],
      ['a missing id', ['status'], /^error: missing required argument 'id'/],
      ['--limit 0', ['list', '--limit', '0'], /--limit must be a positive whole number, not "0"/],
      ['--limit that is no number', ['list', '--limit', 'ten'], /--limit must be a positive whole number, not "ten"/],
      ['an unknown option', ['list', '--limt', '5'], /^error: unknown option '--limt'/],
      [
        'a bad --port',
        ['scripted-model', '--script', 'x.yaml', '--port', 'abc'],
        /--port must be a port number from 0 to 65535, not "abc"/,
      ],
    ])('%s', async (_what, args, error) => {
      const result = await runCli([...args, ...(args[0] === 'scripted-model' ? [] : flags)]);
      const line = await expectRefused(result, null, 2);
      expect(line).toMatch(error);
    });
  });
});
