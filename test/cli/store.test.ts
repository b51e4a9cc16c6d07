import { freePort } from '../../src/temporal/dev-server';
import { uniqueTaskQueue } from '../../src/testing/temporal-env';
import { expectCleanFailure, runCli, temporalFlags } from './cli-helpers';

/**
 * Commands that run a worker or read runs open the conversation store first: a store that is
 * misconfigured or down stops them at once, with one line naming it and never its password.
 * Nothing here needs Temporal: the store is opened before Temporal is asked anything.
 */
describe('durable-teams and its conversation store', () => {
  const flags = temporalFlags(uniqueTaskQueue('cli-store'));

  it('worker: an unreachable PostgreSQL stops it with exit 1, naming the URL with *** for the password', async () => {
    const port = await freePort(); // nothing listens there
    const url = `postgres://u:secret@127.0.0.1:${port}/x`;
    const result = await runCli(['worker', ...flags], { env: { DURABLE_TEAMS_STORE: url } });
    const line = expectCleanFailure(result);
    expect(line).toContain(`conversation store postgres://u:***@127.0.0.1:${port}/x is unreachable`);
    expect(result.stdout + result.stderr).not.toContain('secret');
  });

  it('--store wins over DURABLE_TEAMS_STORE, and a URL of no known kind is refused with the forms accepted', async () => {
    const result = await runCli(['status', 'some-run', '--store', 'redis://u:hunter22@127.0.0.1:1/0', ...flags], {
      env: { DURABLE_TEAMS_STORE: 'postgres://nobody@127.0.0.1:1/never-used' },
    });
    const line = expectCleanFailure(result);
    expect(line).toMatch(
      /^error: conversation store redis:\/\/u:\*\*\*@127\.0\.0\.1:1\/0 has an unsupported scheme "redis:"; use a folder path/,
    );
    expect(result.stderr).not.toContain('hunter22');
  });
});
