import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDevServer } from '../../src/temporal/dev-server';
import { bundleTeamWorkflows } from '../../src/worker/team-worker';
import { TEST_ADDRESS_ENV, TEST_BUNDLE_ENV } from '../../src/testing/temporal-env';
import { ServerWatchdog } from './server-watchdog';

/**
 * One real Temporal dev server for the whole suite (tests isolate themselves by task queue), one
 * conversation store, and the workflow bundle built once. Test workers inherit the environment
 * variables set here.
 */
export default async function globalSetup(): Promise<void> {
  // Its database in a file, in memory where the machine has a tmpfs (as fast as SQLite's own
  // in-memory mode, measured), so that the watchdog can restart a stuck server with every run kept.
  const dbFile = join(mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'durable-teams-temporal-')), 'temporal.db');
  const options = { logLevel: 'error', port: await freePort(), dbFile };
  const watchdog = new ServerWatchdog(await startDevServer(options), options);
  watchdog.start();
  process.env[TEST_ADDRESS_ENV] = watchdog.server.address;
  (globalThis as Record<string, unknown>).__durableTeamsWatchdog = watchdog;

  // One embedded conversation store for the suite, shared by test workers, clients and the CLI
  // processes tests start (they inherit the variable), as a deployment shares one store.
  process.env.DURABLE_TEAMS_STORE = mkdtempSync(join(tmpdir(), 'durable-teams-store-'));

  // Test receivers listen on 127.0.0.1, which push URLs and webhooks may not reach unless named.
  // Tests of the refusals set their own, empty, allowlist.
  process.env.DURABLE_TEAMS_WEBHOOK_ALLOW = '127.0.0.1';

  const file = join(tmpdir(), `durable-teams-workflows-${process.pid}.js`);
  writeFileSync(file, (await bundleTeamWorkflows()).code);
  process.env[TEST_BUNDLE_ENV] = file;
}
