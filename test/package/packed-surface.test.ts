import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * The package as a user gets it: `npm pack` (of the build `npm test` made), unpacked into the
 * node_modules of an empty project, with its dependencies beside it (linked from ours: the same
 * versions, without a second download). An example that uses each entry point must type-check
 * under Node's module resolution, which honours `exports`, and run; a path into dist/ that no
 * entry point names must be refused, so what is not exported stays ours to change.
 */
describe('the packed package: its entry points and nothing more', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'durable-teams-user-'));
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', project], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const modules = join(project, 'node_modules');
    mkdirSync(modules);
    execFileSync('tar', ['-xzf', join(project, tarball), '-C', project]);
    renameSync(join(project, 'package'), join(modules, 'durable-teams'));
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name.startsWith('.') || name === 'durable-teams') continue;
      symlinkSync(join(root, 'node_modules', name), join(modules, name));
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user', private: true, dependencies: { 'durable-teams': '*' } }));
  }, 120_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('type-checks an example that uses every entry point, and refuses a path into dist/', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
      }),
    );
    writeFileSync(join(project, 'example.ts'), EXAMPLE);
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('loads each entry point at run time, and refuses the rest', () => {
    const run = spawnSync(process.execPath, ['-e', LOADER], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      root: ['function', 'function', 'function'],
      client: ['function', 'function'],
      worker: ['function', 'function'],
      testing: ['function', 'function'],
      internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      // The root's names, each chosen (src/index.ts, src/spec/public.ts): a new one is a decision, made here too.
      rootNames: [
        'ContextBusyError',
        'DEFAULT_ADDRESS',
        'DEFAULT_NAMESPACE',
        'DEFAULT_TASK_QUEUE',
        'InvalidRequestError',
        'MAX_TASK_CHARS',
        'ModelCallError',
        'ModelClients',
        'ModelConfigError',
        'NoWorkerError',
        'RunAlreadyExistsError',
        'RunEndedError',
        'RunNotFoundError',
        'RunStalledError',
        'SpeakerFunctionError',
        'SpecError',
        'TeamBuilder',
        'TeamClient',
        'TeamSchema',
        'TemporalUnavailableError',
        'ToolError',
        'allOf',
        'anyOf',
        'bundleTeamWorkflows',
        'createTeamWorker',
        'createWorkerOptions',
        'defineTool',
        'external',
        'functionCall',
        'handoffTo',
        'loadTeamFile',
        'locateTemporalCli',
        'maxMessages',
        'parseTeamSpec',
        'parseTeamText',
        'runLocal',
        'sourceMatch',
        'startDevServer',
        'stopMessage',
        'team',
        'temporalSettings',
        'textMention',
        'timeout',
        'tokenUsage',
      ],
    });
  });

  it('carries the workflow bundle made at build time, stamped with the hash of the code it carries', () => {
    // A worker of the installed package then starts without bundling (see src/worker/prebuilt-bundle.ts).
    const packed = join(project, 'node_modules', 'durable-teams', 'dist');
    expect(readFileSync(join(packed, 'workflow-bundle.js'))).toEqual(readFileSync(join(root, 'dist', 'workflow-bundle.js')));
    expect(readFileSync(join(packed, 'workflow-bundle.js.sha256'), 'utf8')).toBe(
      readFileSync(join(root, 'dist', 'workflow-bundle.js.sha256'), 'utf8'),
    );
    const { codeHash } = require(join(packed, 'src', 'worker', 'code-hash.js')) as typeof import('../../src/worker/code-hash');
    expect(readFileSync(join(packed, 'workflow-bundle.js.sha256'), 'utf8').trim()).toBe(codeHash());
  });

  it('lists in package.json exports just the entry points the README names', () => {
    const { exports } = JSON.parse(readFileSync(join(project, 'node_modules', 'durable-teams', 'package.json'), 'utf8')) as {
      exports: object;
    };
    expect(Object.keys(exports)).toEqual(['.', './client', './worker', './testing', './package.json']);
  });
});

const EXAMPLE = `
import { team, maxMessages, runLocal, TeamClient, createTeamWorker, type RunEvent } from 'durable-teams';
import { TeamClient as Client, RunNotFoundError, type RunSnapshot, type TeamRunResult } from 'durable-teams/client';
import { createTeamWorker as createWorker, defineTool, type TeamWorkerOptions } from 'durable-teams/worker';
import { startDevServer, startScriptedModelServer, type ScriptedModelServer } from 'durable-teams/testing';
import { z } from 'zod';
// @ts-expect-error: the recorder is core's own, not the package's.
import { RunRecorder } from 'durable-teams/dist/src/core/recorder';

const spec = team('review').roundRobin().model({ model: 'gpt-4o-mini' }).agent('writer', { description: 'Writes.' }).terminateWhen(maxMessages(3)).build();
const clock = defineTool({ name: 'clock', description: 'Tells the time.', input: z.object({}), run: () => new Date().toISOString() });
const onEvent = (event: RunEvent): string => event.type;
async function use(client: Client, options: TeamWorkerOptions, model: ScriptedModelServer): Promise<string | undefined> {
  const runId = await client.start(spec, 'Write.');
  const result: TeamRunResult = await client.result(runId);
  const snapshot: RunSnapshot = result.snapshot;
  void [createWorker, createTeamWorker, startDevServer, startScriptedModelServer, TeamClient, RunNotFoundError, RunRecorder, clock, onEvent, options, model];
  await runLocal(spec, 'Write.', { onEvent });
  return snapshot.stopReason ?? undefined;
}
void use;
`;

const LOADER = `
const kinds = (...values) => values.map((v) => typeof v);
const root = require('durable-teams');
const client = require('durable-teams/client');
const worker = require('durable-teams/worker');
const testing = require('durable-teams/testing');
let internal;
try { require('durable-teams/dist/src/core/recorder'); internal = 'loaded'; } catch (err) { internal = err.code; }
process.stdout.write(JSON.stringify({
  root: kinds(root.team, root.runLocal, root.TeamClient),
  client: kinds(client.TeamClient, client.RunNotFoundError),
  worker: kinds(worker.createTeamWorker, worker.defineTool),
  testing: kinds(testing.startDevServer, testing.startScriptedModelServer),
  internal,
  rootNames: Object.keys(root).sort(),
}));
`;
