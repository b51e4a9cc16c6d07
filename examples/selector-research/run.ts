import { join } from 'node:path';
import { loadTeamFile } from '../../src/files/team-file';
import { packageRoot } from '../../src/paths';
import { runAsCommand, startOfflineStack, type ExampleOptions } from '../shared/offline-stack';
import { runAndFollow } from '../shared/run-and-follow';
import { candidateFilters } from './speaker-functions';

const folder = join(packageRoot(), 'examples/selector-research');
const DEFAULT_QUESTION = 'What happens to a team run when its worker crashes?';

export async function runSelectorResearch(options: ExampleOptions & { question?: string } = {}) {
  const stack = await startOfflineStack({ script: join(folder, 'script.yaml'), speakerFunctions: { candidateFilters }, ...options });
  try {
    const { runId, result } = await runAndFollow(stack, loadTeamFile(join(folder, 'team.yaml')), options.question ?? DEFAULT_QUESTION);
    // How each speaker was chosen, and in how many attempts: the filter shows in the second turn.
    const { events } = await stack.client.events(runId);
    const choices = events.flatMap((e) => (e.type === 'turn_started' ? [e.choice] : []));
    for (const c of choices) stack.out.note(`${c.speaker}: chosen by ${c.by} in ${c.attempts} attempt(s)`);
    return { runId, result, choices };
  } finally {
    await stack.stop();
  }
}

// npm run build && node dist/examples/selector-research/run.js ["your question"]
if (require.main === module) runAsCommand(() => runSelectorResearch({ question: process.argv[2] }));
