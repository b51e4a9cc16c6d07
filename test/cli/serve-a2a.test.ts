import { createServer } from 'node:net';
import { uniqueTaskQueue } from '../../src/testing/temporal-env';
import { CliProcess, EXAMPLE_TEAM, expectCleanFailure, runCli, tempDir, temporalFlags } from './cli-helpers';

describe('durable-teams serve', () => {
  const flags = temporalFlags(uniqueTaskQueue('cli-serve'));

  it('prints each team and its URL, serves its card, and stops on SIGTERM', async () => {
    const serve = new CliProcess(['serve', EXAMPLE_TEAM, '--port', '0', ...flags]);
    let stopped = false;
    try {
      const [line, url] = await serve.waitFor('stdout', /^review (http:\/\/127\.0\.0\.1:\d+\/teams\/review\/)$/m);
      expect(serve.stdout).toBe(`${line}\n`);
      const card = await fetch(`${url}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
      expect(card.status).toBe(200);
      expect(card.headers.get('cache-control')).toMatch(/max-age=300/);
      expect(await card.json()).toMatchObject({ name: 'review', skills: [{ id: 'review', tags: ['writing', 'research', 'review'] }] });
      expect((await fetch(new URL('/healthz', url))).status).toBe(200);
      stopped = true;
      expect((await serve.stop('SIGTERM')).code).toBe(0);
    } finally {
      if (!stopped) await serve.stop('SIGKILL');
    }
  });

  it('refuses bad settings with one clear line each', async () => {
    const dir = tempDir();
    try {
      const noTokens = await runCli(['serve', EXAMPLE_TEAM, '--port', '0', '--auth', 'bearer', ...flags], {
        env: { DURABLE_TEAMS_A2A_TOKENS: undefined },
      });
      expect(expectCleanFailure(noTokens)).toMatch(/DURABLE_TEAMS_A2A_TOKENS is not set/);

      const shortToken = await runCli(['serve', EXAMPLE_TEAM, '--port', '0', '--auth', 'bearer', ...flags], {
        env: { DURABLE_TEAMS_A2A_TOKENS: 'ops=tiny' },
      });
      const shortLine = expectCleanFailure(shortToken);
      expect(shortLine).toMatch(/token 1 \(ops\) is shorter than 16/);
      expect(shortLine).not.toContain('tiny');

      const twice = await runCli(['serve', EXAMPLE_TEAM, EXAMPLE_TEAM, '--port', '0', ...flags]);
      expect(expectCleanFailure(twice)).toMatch(/two team files define the team "review"/);

      const badFile = dir.write('bad.yaml', 'name: x\n');
      expect(expectCleanFailure(await runCli(['serve', badFile, ...flags]))).toMatch(/bad\.yaml/);

      expect(expectCleanFailure(await runCli(['serve', EXAMPLE_TEAM, '--port', 'http'], {}), 2)).toMatch(/--port must be a port number/);

      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = String((taken.address() as { port: number }).port);
      try {
        expect(expectCleanFailure(await runCli(['serve', EXAMPLE_TEAM, '--port', port, ...flags]))).toMatch(
          new RegExp(`port ${port} on 127.0.0.1 is in use`),
        );
      } finally {
        taken.close();
      }
    } finally {
      dir.remove();
    }
  });
});
