import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Where histories recorded before a change are kept for good, one folder per change, so the
 * replay test keeps proving that runs begun before it still replay (see workflows/status-memo.ts).
 */
export const FROZEN_DIRS = ['before-status-memo', 'before-a2a', 'before-tools', 'before-nested-questions'];

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
