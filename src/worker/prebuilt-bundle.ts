import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeHash } from './code-hash';
import { bundleTeamWorkflows } from './workflow-bundle';

/**
 * The workflows bundled once, by `npm run build`, instead of by every worker as it starts (webpack:
 * seconds of CPU a start, and a worker restarted in a crash loop pays them each time). A worker
 * takes the bundle only when its stamp is the hash of the code the worker runs, so a bundle left
 * over from other code is never used: the worker then bundles as before.
 */
const BUNDLE = join(__dirname, '..', '..', 'workflow-bundle.js');
const STAMP = `${BUNDLE}.sha256`;

/** Compiled code only: run from TypeScript source (the tests), the worker bundles the source. */
const compiled = __filename.endsWith('.js');

export function prebuiltWorkflowBundle(bundle = BUNDLE): { code: string } | undefined {
  const stamp = `${bundle}.sha256`;
  if (!compiled || !existsSync(bundle) || !existsSync(stamp)) return undefined;
  if (readFileSync(stamp, 'utf8').trim() !== codeHash()) return undefined;
  return { code: readFileSync(bundle, 'utf8') };
}

/** Writes the bundle and its stamp (the build's last step), unless they are this code's already. */
export async function writePrebuiltWorkflowBundle(): Promise<'written' | 'current'> {
  const hash = codeHash();
  if (existsSync(BUNDLE) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash) return 'current';
  writeFileSync(BUNDLE, (await bundleTeamWorkflows()).code);
  writeFileSync(STAMP, `${hash}\n`);
  return 'written';
}
