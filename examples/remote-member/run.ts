import { join } from 'node:path';
import { startA2AServer } from '../../src/server/server';
import { loadTeamFile } from '../../src/files/team-file';
import { packageRoot } from '../../src/paths';
import type { TeamSpec } from '../../src/spec/team';
import { runAsCommand, startOfflineStack, type ExampleOptions } from '../shared/offline-stack';
import { runAndFollow } from '../shared/run-and-follow';

const folder = join(packageRoot(), 'examples/remote-member');
/** Where newsroom.yaml expects the fact desk. */
export const FACT_DESK_ORIGIN = 'http://127.0.0.1:41251';
const TASK = 'Write a two-line news item: our team runs now survive worker crashes.';

/** The team with its card URLs pointed at the fact desk where it really listens (tests use a free port). */
function withFactDeskAt(team: TeamSpec, origin: string): TeamSpec {
  return JSON.parse(JSON.stringify(team).replaceAll(FACT_DESK_ORIGIN, origin)) as TeamSpec;
}

/**
 * Both sides in one process: the fact desk served over A2A as `durable-teams serve` serves it, and
 * the newsroom run calling it. One worker runs both teams' runs; they meet only over HTTP.
 */
export async function runRemoteMember(options: ExampleOptions & { port?: number } = {}) {
  const stack = await startOfflineStack({ script: join(folder, 'script.yaml'), ...options });
  try {
    const factDesk = await startA2AServer({
      teams: [loadTeamFile(join(folder, 'fact-desk.yaml'))],
      client: stack.client,
      port: options.port ?? 41251,
      version: 'example',
      tokens: null, // loopback only; a real deployment serves with --auth bearer
      secrets: null,
    });
    try {
      stack.out.note(`fact-desk served over A2A at ${factDesk.teamUrls['fact-desk']}`);
      const newsroom = withFactDeskAt(loadTeamFile(join(folder, 'newsroom.yaml')), new URL(factDesk.url).origin);
      // Each call is a fact-desk run of its own too: `durable-teams list` shows them beside the newsroom's.
      return await runAndFollow(stack, newsroom, TASK);
    } finally {
      await factDesk.close();
    }
  } finally {
    await stack.stop();
  }
}

// npm run build && node dist/examples/remote-member/run.js
if (require.main === module) runAsCommand(() => runRemoteMember());
