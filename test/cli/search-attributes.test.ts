import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { TeamClient } from '../../src/client/team-client';
import { missingSearchAttributes, RUN_SEARCH_ATTRIBUTE_NAMES } from '../../src/temporal/search-attributes';
import { uniqueTaskQueue } from '../../src/testing/temporal-env';
import { RUN_SEARCH_ATTRIBUTES } from '../../src/visibility/run-attributes';
import { reviewTeam } from '../helpers/teams';
import { jsonLines, runCli } from './cli-helpers';

/**
 * `durable-teams search-attributes` on a real Temporal server that lacks them (a dev server started
 * without them, as a cluster or the compose file's server starts): it adds them, only once, and
 * the runs started after carry them (before, a client starts runs without them and lists by memo).
 */
describe('durable-teams search-attributes', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ searchAttributes: false });
  });
  afterAll(() => server?.stop());

  it('registers what is missing, once; runs started afterwards carry the attributes', async () => {
    const client = await TeamClient.connect({
      address: server.address,
      namespace: 'default',
      taskQueue: uniqueTaskQueue('sa'),
      live: null,
    });
    try {
      expect(await missingSearchAttributes(client.client)).toEqual(RUN_SEARCH_ATTRIBUTE_NAMES);
      const before = await client.start(reviewTeam(), 'Write a note.');
      expect(
        (await client.client.workflow.getHandle(before).describe()).typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.team),
      ).toBeUndefined();

      const first = await runCli(['search-attributes', '--address', server.address, '--json']);
      expect(first.code).toBe(0);
      expect(jsonLines(first.stdout)).toEqual([
        { namespace: 'default', added: RUN_SEARCH_ATTRIBUTE_NAMES, registered: RUN_SEARCH_ATTRIBUTE_NAMES },
      ]);
      const again = await runCli(['search-attributes', '--address', server.address]);
      expect(again.stdout).toContain('namespace "default" already has every run search attribute');

      // A new client asks afresh (an older one asks again within a minute).
      const after = await TeamClient.connect({ address: server.address, namespace: 'default', taskQueue: client.taskQueue, live: null });
      try {
        const runId = await after.start(reviewTeam(), 'Write a note.');
        const attributes = (await after.client.workflow.getHandle(runId).describe()).typedSearchAttributes;
        expect(attributes.get(RUN_SEARCH_ATTRIBUTES.team)).toBe('review');
        expect(attributes.get(RUN_SEARCH_ATTRIBUTES.state)).toBe('submitted');
        // The run begun before them is one the listings still find, by its memo.
        expect(await after.searchAttributes.queryMode()).toBe('indexed+memo');
        await after.client.workflow.getHandle(runId).terminate('test over');
      } finally {
        await after.close();
      }
      await client.client.workflow.getHandle(before).terminate('test over');
    } finally {
      await client.close();
    }
  });
});
