import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { ScriptInput } from '../../src/testing/scripted-model';

export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Where histories recorded before a change are kept for good, one folder per change, so the
 * replay test keeps proving that runs begun before it still replay (see workflows/status-memo.ts).
 */
export const FROZEN_DIRS = [
  'before-status-memo',
  'before-a2a',
  'before-tools',
  'before-nested-questions',
  'before-conversation-store',
  'before-cancel-waits',
  'before-read-model',
  'before-build-move',
];

/** Recorded histories, frozen ones included: each file is one execution of teamRun, as the server gave it. */
export function loadHistories(): { workflowId: string; originalId: string; dir: string; file: string; history: History }[] {
  return ['', ...FROZEN_DIRS].flatMap((dir) =>
    readdirSync(join(HISTORIES_DIR, dir))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({
        file: join(dir, file),
        workflowId: `${dir ? `${dir}/` : ''}${file.replace(/\.json$/, '')}`,
        // The id the run had: the workflow derives child workflow ids from it.
        originalId: file.replace(/\.json$/, '').replace(/-[0-9a-f]{8}$/, ''),
        dir,
        history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, dir, file), 'utf8'))),
      })),
  );
}

/**
 * What the recorded runs' model replies carry: a mark like «writer-1» (the agent, the reply's
 * place in its script) found in no other text, so history-text-once.test.ts can count each
 * reply's text in a history.
 */
export const REPLY_MARK = /«[A-Za-z]+-\d+»/g;

/** A reply as a script gives it: text, or text and tool calls. */
type ScriptedReply = Extract<NonNullable<ScriptInput['agents']>[string], unknown[]>[number];

/** A script agent's replies, each content marked, padded with marked replies to `length` so that none repeats in a run. */
export function markedReplies(agent: string, replies: ScriptedReply[], length = 12): ScriptedReply[] {
  const mark = (i: number) => `«${agent}-${i}»`;
  const marked = replies.map((r, i) =>
    typeof r === 'string' ? `${r} ${mark(i)}` : r.content ? { ...r, content: `${r.content} ${mark(i)}` } : r,
  );
  for (let i = marked.length; i < length; i += 1) marked.push(`${agent} ${mark(i)}`);
  return marked;
}
