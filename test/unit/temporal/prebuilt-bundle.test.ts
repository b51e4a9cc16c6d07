import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The compiled module, as workers load it (run from TypeScript source it never takes a prebuilt bundle). */
const compiled = require('../../../dist/src/worker/prebuilt-bundle.js') as typeof import('../../../src/worker/prebuilt-bundle');
const { codeHash } = require('../../../dist/src/worker/code-hash.js') as typeof import('../../../src/worker/code-hash');

describe('the workflow bundle made at build time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prebuilt-'));
  const bundle = join(dir, 'workflow-bundle.js');

  it("is taken when its stamp is the running code's hash", () => {
    writeFileSync(bundle, '/* bundle */');
    writeFileSync(`${bundle}.sha256`, `${codeHash()}\n`);
    expect(compiled.prebuiltWorkflowBundle(bundle)).toEqual({ code: '/* bundle */' });
  });

  it('is left alone when it was made from other code, or has no stamp: the worker bundles itself', () => {
    writeFileSync(`${bundle}.sha256`, `${'0'.repeat(64)}\n`);
    expect(compiled.prebuiltWorkflowBundle(bundle)).toBeUndefined();
    expect(compiled.prebuiltWorkflowBundle(join(dir, 'missing.js'))).toBeUndefined();
  });

  it('is there after the build, stamped with the code it was made from', () => {
    expect(compiled.prebuiltWorkflowBundle()?.code).toContain('teamRun');
  });
});
