import { rmSync } from 'node:fs';
import type { DevServer } from '../../src/temporal/dev-server';
import { rendezvousDirOf } from '../../src/live/local-rendezvous';
import { TEST_BUNDLE_ENV } from '../../src/testing/temporal-env';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__durableTeamsServer as DevServer | undefined;
  await server?.stop();
  const bundle = process.env[TEST_BUNDLE_ENV];
  if (bundle) rmSync(bundle, { force: true });
  const store = process.env.DURABLE_TEAMS_STORE;
  if (!store) return;
  // The sockets the suite's processes met at, beside the store (see src/live/local-channel.ts).
  const rendezvous = await rendezvousDirOf(store);
  if (rendezvous) rmSync(rendezvous, { recursive: true, force: true });
  rmSync(store, { recursive: true, force: true });
}
