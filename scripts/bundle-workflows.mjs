// The last step of `npm run build`: the workflows bundled once into dist/workflow-bundle.js, which
// workers of this code load instead of bundling at every start (see src/worker/prebuilt-bundle.ts).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const started = performance.now();
const { writePrebuiltWorkflowBundle } = require('../dist/src/worker/prebuilt-bundle.js');
const outcome = await writePrebuiltWorkflowBundle();
if (outcome === 'written') console.log(`workflow bundle: dist/workflow-bundle.js (${((performance.now() - started) / 1000).toFixed(1)} s)`);
