import { join } from 'node:path';
import type { PendingInput } from '../../src/core/human';
import { loadTeamFile } from '../../src/files/team-file';
import { packageRoot } from '../../src/paths';
import type { AnswerInput } from '../../src/client/answers';
import { runAsCommand, startOfflineStack, type ExampleOptions } from '../shared/offline-stack';
import { runAndFollow, type Answerer } from '../shared/run-and-follow';

const folder = join(packageRoot(), 'examples/human-editor');
const TASK = 'Write a two-sentence note announcing that our team runs now survive worker crashes.';

/** What the people say when nobody is at the terminal: the editor's notes, then the approval. A fresh one per run. */
export function scriptedPeople(): Answerer {
  const editorNotes = ['Add a title and make the second sentence shorter.', 'DONE'];
  return (request: PendingInput): AnswerInput | null => {
    if (request.kind === 'approval') return { action: 'approve', text: 'Ship it.', by: 'approver' };
    const note = editorNotes.shift();
    return note ? { action: 'input', text: note, by: 'editor' } : null;
  };
}

/** `ask`: the person at this terminal answers each question instead of the scripted people. */
export async function runHumanEditor(options: ExampleOptions & { ask?: boolean; people?: Answerer } = {}) {
  const stack = await startOfflineStack({ script: join(folder, 'script.yaml'), ...options });
  try {
    const people = options.ask ? 'terminal' : (options.people ?? scriptedPeople());
    const { runId, result } = await runAndFollow(stack, loadTeamFile(join(folder, 'team.yaml')), TASK, people);
    // Every question the run asked and who answered it, from the run's own record.
    const { events } = await stack.client.events(runId);
    const asked = events.flatMap((e) => (e.type === 'input_requested' ? [e.request] : []));
    const answered = events.flatMap((e) => (e.type === 'input_received' ? [e] : []));
    return { runId, result, asked, answered };
  } finally {
    await stack.stop();
  }
}

// npm run build && node dist/examples/human-editor/run.js [--ask]
if (require.main === module) runAsCommand(() => runHumanEditor({ ask: process.argv.includes('--ask') }));
