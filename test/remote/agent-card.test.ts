import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { AgentCardCache, fetchAgentCard, RemoteCardError } from '../../src/remote/agent-card';
import { allowlistOf, hostAllowlist } from '../../src/http/host-allowlist';
import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { exampleTeam } from '../helpers/teams';

/** A tiny server answering each path with a fixed response, counting requests. */
async function fixedServer(
  routes: Record<string, { status: number; body?: string; headers?: Record<string, string> }>,
): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes[req.url ?? ''] ?? { status: 404, body: 'not found' };
    res.writeHead(route.status, { 'content-type': 'application/json', ...route.headers });
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

const refusal = async (promise: Promise<unknown>): Promise<RemoteCardError> => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RemoteCardError);
  return err as RemoteCardError;
};

describe('discovering remote A2A agents from their cards', () => {
  let client: TeamClient;
  let front: A2AServer;
  let cardUrl: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue: uniqueTaskQueue('cards') });
    front = await startA2AServer({ teams: [exampleTeam()], client, port: 0, version: '1.2.3', tokens: null, secrets: null });
    cardUrl = `${front.teamUrls.review}.well-known/agent-card.json`;
  });
  afterAll(async () => {
    await front?.close();
    for (const server of servers) server.close();
    await client?.close();
  });

  it('reads a v1.0 card: interfaces, streaming, skills', async () => {
    const card = await fetchAgentCard(cardUrl, { allow: allowlistOf([cardUrl]) });
    expect(card).toMatchObject({ name: 'review', version: '1.2.3', cardVersion: '1.0', streaming: true });
    expect(card.interfaces.map((i) => `${i.binding} ${i.protocolVersion}`).sort()).toEqual([
      'HTTP+JSON 0.3',
      'HTTP+JSON 1.0',
      'JSONRPC 0.3',
      'JSONRPC 1.0',
    ]);
    expect(card.skills).toEqual([expect.objectContaining({ id: 'review', tags: ['writing', 'research', 'review'] })]);
  });

  it('reads the v0.3 card a server gives a client that sends no version', async () => {
    const card = await fetchAgentCard(cardUrl, { allow: allowlistOf([cardUrl]), protocolVersion: '0.3' });
    expect(card.cardVersion).toBe('0.3');
    expect(card.interfaces[0]).toMatchObject({ binding: 'JSONRPC', protocolVersion: '0.3', url: `${front.teamUrls.review}a2a/jsonrpc` });
  });

  it('keeps a card with its ETag: a 304 gives back the card already read', async () => {
    const card = {
      name: 'x',
      description: 'd',
      version: '1',
      skills: [],
      supportedInterfaces: [{ url: 'http://127.0.0.1:1/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    };
    const hits: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      hits.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end(JSON.stringify(card));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/card`;
    const cache = new AgentCardCache();
    const allow = hostAllowlist(['127.0.0.1']);
    const first = await fetchAgentCard(url, { allow, cache });
    expect(await fetchAgentCard(url, { allow, cache })).toBe(first);
    expect(hits).toEqual([undefined, '"v1"']);
  });

  it('refuses a card, a redirect or an interface on a host outside the allowlist', async () => {
    const outside = await refusal(fetchAgentCard(cardUrl, { allow: hostAllowlist(['agents.example.com']) }));
    expect(outside.message).toMatch(
      /agent card http:\/\/127\.0\.0\.1:\d+\/teams\/review\/\.well-known\/agent-card\.json: host outside the allowlist \(agents\.example\.com\)/,
    );
    expect(outside.retryable).toBe(false);

    const port = new URL(cardUrl).port;
    const hop = await fixedServer({
      '/card': { status: 302, headers: { location: `http://localhost:${port}/teams/review/.well-known/agent-card.json` } },
    });
    servers.push(hop.server);
    const redirected = await refusal(fetchAgentCard(`${hop.url}/card`, { allow: allowlistOf([hop.url]) }));
    expect(redirected.message).toMatch(
      /redirect to http:\/\/localhost:\d+\/teams\/review\/\.well-known\/agent-card\.json: host outside the allowlist/,
    );

    const card = {
      name: 'x',
      description: 'd',
      version: '1',
      skills: [],
      supportedInterfaces: [{ url: 'http://evil.example.net/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    };
    const pointing = await fixedServer({ '/card': { status: 200, body: JSON.stringify(card) } });
    servers.push(pointing.server);
    const elsewhere = await refusal(fetchAgentCard(`${pointing.url}/card`, { allow: allowlistOf([pointing.url]) }));
    expect(elsewhere.message).toMatch(/names an interface \(0, JSONRPC\) at http:\/\/evil\.example\.net\/a2a: host outside the allowlist/);
  });

  it('refuses a malformed card naming the field, and tells a passing failure from a lasting one', async () => {
    const iface = [{ url: 'http://127.0.0.1:1/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }];
    const fixtures = await fixedServer({
      '/no-skill-name': {
        status: 200,
        body: JSON.stringify({
          name: 'x',
          description: 'd',
          version: '1',
          supportedInterfaces: iface,
          skills: [{ id: 's', description: 'd' }],
        }),
      },
      '/not-a-card': { status: 200, body: JSON.stringify({ hello: 'world' }) },
      '/not-json': { status: 200, body: '<html>' },
      '/busy': { status: 503 },
      '/gone': { status: 404 },
    });
    servers.push(fixtures.server);
    const allow = allowlistOf([fixtures.url]);
    expect((await refusal(fetchAgentCard(`${fixtures.url}/no-skill-name`, { allow }))).message).toMatch(/: skills\[0\]\.name: /);
    expect((await refusal(fetchAgentCard(`${fixtures.url}/not-a-card`, { allow }))).message).toMatch(
      /neither supportedInterfaces \(A2A v1\.0\) nor url \(v0\.3\)/,
    );
    expect((await refusal(fetchAgentCard(`${fixtures.url}/not-json`, { allow }))).message).toMatch(/is not valid JSON/);
    const busy = await refusal(fetchAgentCard(`${fixtures.url}/busy`, { allow }));
    expect([busy.message, busy.retryable]).toEqual([expect.stringMatching(/answered 503/), true]);
    const gone = await refusal(fetchAgentCard(`${fixtures.url}/gone`, { allow }));
    expect([gone.message, gone.retryable]).toEqual([expect.stringMatching(/answered 404/), false]);
    const down = await refusal(fetchAgentCard('http://127.0.0.1:1/card', { allow: hostAllowlist(['127.0.0.1']) }));
    expect(down.retryable).toBe(true);
  });
});

describe('host allowlist', () => {
  it('matches hosts, host:port and subdomain wildcards', () => {
    const allow = hostAllowlist(['agents.example.com', '127.0.0.1:8080', '*.partner.org']);
    expect(allow.allows(new URL('https://agents.example.com/x'))).toBe(true);
    expect(allow.allows(new URL('http://agents.example.com:9000/x'))).toBe(true);
    expect(allow.allows(new URL('http://127.0.0.1:8080/x'))).toBe(true);
    expect(allow.allows(new URL('http://127.0.0.1:8081/x'))).toBe(false);
    expect(allow.allows(new URL('https://a.b.partner.org/x'))).toBe(true);
    expect(allow.allows(new URL('https://partner.org/x'))).toBe(false);
    expect(allow.allows(new URL('https://evilpartner.org/x'))).toBe(false);
    expect(allow.allows(new URL('https://agents.example.com.evil.net/x'))).toBe(false);
  });
});
