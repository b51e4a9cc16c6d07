import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths';
import { compileTree, SOURCES } from './compile-tree';

/**
 * A build of this tree that differs from it the way a release does: its workflow code is not
 * replay-compatible with this tree's (each execution starts with a timer, so this tree's histories
 * would fail on it as non-deterministic), and its activity contract is the next one (its agent
 * turns carry v2, which this tree's workers do not read). Each change must match exactly once, so
 * a refactor that moves these lines breaks this helper loudly rather than making the test vacuous.
 */
const CHANGES: { file: string; from: string; to: string }[] = [
  {
    file: 'workflows/team-run.ts',
    from: '  const store = conversationStore();\n',
    to: "  const store = conversationStore();\n  await sleep(1); // the next build's change\n",
  },
  { file: 'activities/parse-input.ts', from: 'export const ACTIVITY_CONTRACT = 1;', to: 'export const ACTIVITY_CONTRACT = 2;' },
  {
    file: 'src/contract/model-requests.ts',
    from: 'export const AgentTurnRequestSchema = z.object({\n  v: z.literal(1),',
    to: 'export const AgentTurnRequestSchema = z.object({\n  v: z.literal(2) as unknown as z.ZodLiteral<1>,',
  },
  {
    file: 'src/core/request-builders.ts',
    from: 'export function agentTurnRequest(team: TeamSpec, state: RunState, agent: LlmAgentSpec): AgentTurnRequest {\n  const memory = memoryRequest(team, state, agent);\n  return {\n    v: 1,',
    to: 'export function agentTurnRequest(team: TeamSpec, state: RunState, agent: LlmAgentSpec): AgentTurnRequest {\n  const memory = memoryRequest(team, state, agent);\n  return {\n    v: 2 as 1,',
  },
];

export interface NextBuild {
  /** Its `durable-teams` command. */
  cli: string;
  remove(): void;
}

/** Copies the tree, applies the changes and compiles it (esbuild, a second or two) into a folder of its own. */
export function buildNextRelease(): NextBuild {
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), 'durable-teams-next-'));
  for (const entry of [...SOURCES, 'bin', 'package.json']) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const change of CHANGES) {
    const path = join(dir, change.file);
    const text = readFileSync(path, 'utf8');
    const found = text.split(change.from).length - 1;
    if (found !== 1)
      throw new Error(
        `next build: expected the change's text once in ${change.file}, found it ${found} times; update test/versioning/next-build.ts`,
      );
    writeFileSync(path, text.replace(change.from, change.to));
  }
  const cli = compileTree(dir);
  return { cli, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
