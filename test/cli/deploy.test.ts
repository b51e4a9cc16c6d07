import { randomBytes } from 'node:crypto';
import { testTemporalAddress } from '../../src/testing/temporal-env';
import { expectCleanFailure, runCli } from './cli-helpers';

/** The deploy commands' refusals; test/versioning/two-builds.test.ts drives them through a real release. */
describe('durable-teams deploy', () => {
  const address = ['--address', testTemporalAddress()];

  it('says which deployment it cannot find, and how one comes to be', async () => {
    const name = `none-${randomBytes(3).toString('hex')}`;
    const line = expectCleanFailure(await runCli(['deploy', 'status', '--deployment', name, ...address]));
    expect(line).toBe(
      `error: no worker deployment "${name}" in namespace default: start a worker with --deployment ${name} --build-id <id> first`,
    );
  });

  it('refuses a ramp that is not a percentage, and a deployment name Temporal cannot take, before connecting', async () => {
    expect(expectCleanFailure(await runCli(['deploy', 'ramp', 'B', '150', '--address', '127.0.0.1:1']), 2)).toBe(
      'error: <percent> "150": expected a number from 0 to 100',
    );
    expect(expectCleanFailure(await runCli(['deploy', 'status', '--deployment', 'my.teams', '--address', '127.0.0.1:1']), 2)).toBe(
      'error: --deployment "my.teams": expected letters, digits, "_" or "-" (64 at most, no dot), e.g. "durable-teams"',
    );
  });

  it('refuses a build id with a space for a worker, naming the flag', async () => {
    expect(expectCleanFailure(await runCli(['worker', '--build-id', 'my build', '--address', '127.0.0.1:1']), 2)).toBe(
      'error: --build-id "my build": expected letters, digits, ".", "_", "+" or "-" (128 at most), e.g. "0.1.0-3f2a9c1d4e5b"',
    );
  });
});
