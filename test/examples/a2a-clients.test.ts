import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TaskState } from '@a2a-js/sdk';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { loadTeamFile } from '../../src/files/team-file';
import { callTeam } from '../../examples/a2a-clients/client';
import type { OfflineStack } from '../../examples/shared/offline-stack';
import { ROOT } from '../helpers/teams';
import { exampleStack } from './gallery-env';

const folder = join(ROOT, 'examples/a2a-clients');
/** The venv scripts/python-a2a-sdks.sh makes, with a2a-sdk 1.x. */
const PYTHON = join(ROOT, '.venvs/a2a-py/bin/python');

// `durable-teams dev examples/a2a-clients/team.yaml --script examples/a2a-clients/script.yaml` serves
// the team this way: a worker, the scripted model and the A2A front end in one process.
describe('examples/a2a-clients', () => {
  let stack: OfflineStack;
  let front: A2AServer;
  let teamUrl: string;

  beforeAll(async () => {
    stack = await exampleStack({ script: join(folder, 'script.yaml') });
    front = await startA2AServer({
      teams: [loadTeamFile(join(folder, 'team.yaml'))],
      client: stack.client,
      port: 0,
      version: 'example',
      tokens: null,
      secrets: null,
    });
    teamUrl = front.teamUrls['note-writer']!;
  });
  afterAll(async () => {
    await front?.close();
    await stack?.stop();
  });

  it('the TypeScript client streams the task, answers its approval and gets the final answer', async () => {
    const lines: string[] = [];
    const seen = await callTeam(teamUrl, 'Write a two-line note.', 'approve: ship it', (line) => lines.push(line));
    expect(seen.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(seen.answer).toContain('Our team runs now survive crashes.');
    expect(lines).toContain('status: TASK_STATE_INPUT_REQUIRED: Here is the note. Publish it? (approve, reject, or say what to change)');
    expect(lines).toContain('answering: approve: ship it');
  });

  it('the Python client (a2a-sdk 1.x) does the same', async () => {
    if (!existsSync(PYTHON)) {
      // CI installs it (scripts/python-a2a-sdks.sh) and says so: there, a missing one is a failure.
      if (process.env.DURABLE_TEAMS_REQUIRE_PYTHON_SDKS === '1') throw new Error(`no a2a-sdk at ${PYTHON}: run scripts/python-a2a-sdks.sh`);
      console.warn(`skipped: no a2a-sdk at ${PYTHON} (scripts/python-a2a-sdks.sh installs it)`);
      return;
    }
    const { stdout } = await promisify(execFile)(PYTHON, [join(folder, 'client.py'), teamUrl, 'approve: ship it'], { timeout: 60_000 });
    expect(stdout).toContain('status: TASK_STATE_INPUT_REQUIRED: Here is the note. Publish it?');
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { state: string; answer: string };
    expect(summary.state).toBe('TASK_STATE_COMPLETED');
    expect(summary.answer).toContain('Our team runs now survive crashes.');
  });
});
