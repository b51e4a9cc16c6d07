import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { packageRoot } from '../paths';

/** scripts/time-skipping-server.sh exits with this when Java or Maven is missing. */
export const TOOLS_MISSING_EXIT_CODE = 3;

const INSTALL_HINT =
  "Temporal's time-skipping test server runs on Java (8 or newer) and is fetched once from Maven Central with Maven: " +
  'install both (Debian: apt-get install openjdk-17-jre-headless maven), ' +
  'or set TEMPORAL_TEST_SERVER_PATH to an executable that runs the test server';

export type TimeSkippingServerLocation =
  { ok: true; path: string } | { ok: false; exitCode: number | null; toolsMissing: boolean; message: string };

/**
 * Runs scripts/time-skipping-server.sh, which prints the path of a launcher for Temporal's Java
 * time-skipping test server, fetching the server with Maven the first time (about 20 s; blocks).
 */
export function locateTimeSkippingServer(): TimeSkippingServerLocation {
  const script = join(packageRoot(), 'scripts', 'time-skipping-server.sh');
  const run = spawnSync(script, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const log = (run.stderr ?? '').trim();
  const path = (run.stdout ?? '').trim();
  if (run.status === 0 && path) {
    if (log) process.stderr.write(`${log}\n`);
    return { ok: true, path };
  }
  const toolsMissing = run.status === TOOLS_MISSING_EXIT_CODE;
  const how = run.error ? `could not run ${script}: ${run.error.message}` : `${script} exited with ${run.status ?? run.signal}`;
  const message = toolsMissing ? `${INSTALL_HINT}.\n${log}` : `${how}${log ? `:\n${log}` : ''}`;
  return { ok: false, exitCode: run.status, toolsMissing, message };
}

/**
 * A TestWorkflowEnvironment on Temporal's time-skipping test server (the Java one, from Maven
 * Central, since the SDK's own download needs a site this project cannot reach). Timers skip ahead
 * while a workflow result is awaited, and on `env.sleep`. Call `env.teardown()` when done.
 */
export async function startTimeSkippingEnv(options: TimeSkippingTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
  const found = locateTimeSkippingServer();
  if (!found.ok) throw new Error(found.message);
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        ...options,
        server: { ...options.server, executable: { type: 'existing-path', path: found.path } },
      });
    } catch (err) {
      // The SDK gives the server 5 s to listen, which a JVM on a loaded machine can miss; a second
      // start finds its classes in the page cache. Any other failure is the caller's to see.
      if (attempt >= START_ATTEMPTS || !/did not start within/.test((err as Error).message)) throw err;
    }
  }
}

/** How often the time-skipping server is started before its failure to start is reported. */
const START_ATTEMPTS = 3;
