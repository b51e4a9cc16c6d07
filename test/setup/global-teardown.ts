import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerWatchdog } from './server-watchdog';
import { rendezvousDirOf } from '../../src/live/local-rendezvous';
import { TEST_BUNDLE_ENV } from '../../src/testing/temporal-env';

export default async function globalTeardown(): Promise<void> {
  const watchdog = (globalThis as Record<string, unknown>).__durableTeamsWatchdog as ServerWatchdog | undefined;
  if (watchdog) {
    await watchdog.stop();
    await watchdog.server.stop();
    // The server's database folder (the file, its WAL and shared memory).
    rmSync(dirname(watchdog.dbFile), { recursive: true, force: true });
  }
  const bundle = process.env[TEST_BUNDLE_ENV];
  if (bundle) rmSync(bundle, { force: true });
  const store = process.env.DURABLE_TEAMS_STORE;
  if (!store) return;
  // The sockets the suite's processes met at, beside the store (see src/live/local-channel.ts).
  const rendezvous = await rendezvousDirOf(store);
  if (rendezvous) rmSync(rendezvous, { recursive: true, force: true });
  rmSync(store, { recursive: true, force: true });
}
