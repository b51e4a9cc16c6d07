import { rmSync } from 'node:fs';
import type { DevServer } from '../../src/temporal/dev-server';
import { TEST_BUNDLE_ENV } from '../../src/testing/temporal-env';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__durableTeamsServer as DevServer | undefined;
  await server?.stop();
  const bundle = process.env[TEST_BUNDLE_ENV];
  if (bundle) rmSync(bundle, { force: true });
  const store = process.env.DURABLE_TEAMS_STORE;
  if (store) rmSync(store, { recursive: true, force: true });
}
