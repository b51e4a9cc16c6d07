import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { checkedPost } from '../../../src/http/checked-post';
import { checkTarget, targetPolicy, targetPolicyFromEnv, type Resolver } from '../../../src/http/outbound-target';

const none = targetPolicy([]);
/** A resolver for names tests make up, so nothing asks real DNS. */
const fixed =
  (answers: Record<string, string[]>): Resolver =>
  async (host) => {
    const found = answers[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    expect((err as Error).name).toBe('RefusedTargetError');
    return (err as Error).message;
  }
  throw new Error('the target was allowed; a refusal was expected');
}

describe('checkTarget (A2A 13.2: no private, loopback or link-local push targets)', () => {
  // Every refusal here is decided from the URL and (made-up or local) DNS answers: nothing connects.
  it.each([
    ['http://127.0.0.1/x', '127.0.0.1, a loopback address'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254, a link-local address'],
    ['http://10.0.0.1/x', '10.0.0.1, a private address'],
    ['http://172.20.1.1/x', '172.20.1.1, a private address'],
    ['http://192.168.0.10:8080/x', '192.168.0.10, a private address'],
    ['http://100.64.1.1/x', '100.64.1.1, a private address'],
    ['http://0.0.0.0:80/x', '0.0.0.0, an unspecified address'],
    ['http://224.0.0.251/x', '224.0.0.251, a multicast address'],
    ['http://255.255.255.255/x', '255.255.255.255, a reserved address'],
    ['http://[::1]/x', '::1, a loopback address'],
    ['http://[::]/x', '::, an unspecified address'],
    ['http://[fe80::1]/x', 'fe80::1, a link-local address'],
    ['http://[fd00::1]/x', 'fd00::1, a private address'],
    ['http://[ff02::1]/x', 'ff02::1, a multicast address'],
    ['http://[::ffff:127.0.0.1]/x', '::ffff:7f00:1 (IPv4-mapped 127.0.0.1), a loopback address'],
    ['http://[::ffff:169.254.169.254]/x', '::ffff:a9fe:a9fe (IPv4-mapped 169.254.169.254), a link-local address'],
    ['http://[64:ff9b::10.1.2.3]/x', '64:ff9b::a01:203 (NAT64 10.1.2.3), a private address'],
    ['http://[2002:a9fe:a9fe::]/x', '2002:a9fe:a9fe:: (6to4 169.254.169.254), a link-local address'],
    // Numeric spellings the URL parser turns into dotted IPv4
    ['http://2130706433/x', '127.0.0.1, a loopback address'],
    ['http://0x7f.1/x', '127.0.0.1, a loopback address'],
    ['http://017700000001/x', '127.0.0.1, a loopback address'],
    ['http://127.1/x', '127.0.0.1, a loopback address'],
    // IPv6 forms of inward IPv4 addresses, and ranges that are no one's to call
    ['http://[::7f00:1]/x', '::7f00:1 (IPv4-compatible 127.0.0.1), a loopback address'],
    ['http://[::ffff:0:10.0.0.1]/x', '::ffff:0:a00:1 (IPv4-translated 10.0.0.1), a private address'],
    ['http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x', '2001:0:4136:e378:8000:63bf:f5ff:fffe, a reserved address'],
    ['http://[3fff::1]/x', '3fff::1, a reserved address'],
  ])('refuses %s', async (url, why) => {
    const message = await refusal(checkTarget(url, none, fixed({})));
    expect(message).toContain(`is ${why}`);
    expect(message).toContain('DURABLE_TEAMS_WEBHOOK_ALLOW');
  });

  it('refuses a name that resolves to loopback (localhost, by the real resolver)', async () => {
    const message = await refusal(checkTarget('http://localhost:1/x', none));
    expect(message).toMatch(/^http:\/\/localhost:1\/x resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  it('refuses inward DNS answers in the forms a resolver writes them (a zone, a dotted IPv4 tail)', async () => {
    const resolve = fixed({ 'zoned.test': ['fe80::1%eth0'], 'compatible.test': ['::127.0.0.1'] });
    expect(await refusal(checkTarget('http://zoned.test/x', none, resolve))).toContain('resolves to fe80::1%eth0, a link-local address');
    expect(await refusal(checkTarget('http://compatible.test/x', none, resolve))).toContain(
      'resolves to ::127.0.0.1 (IPv4-compatible 127.0.0.1), a loopback address',
    );
  });

  it('refuses a name when any one of its addresses is inward', async () => {
    const resolve = fixed({ 'mixed.test': ['93.184.216.34', '10.9.8.7'] });
    expect(await refusal(checkTarget('https://mixed.test/hook', none, resolve))).toContain('resolves to 10.9.8.7, a private address');
  });

  it('allows public addresses and names that resolve only to them', async () => {
    await expect(checkTarget('https://93.184.216.34/hook', none)).resolves.toBeInstanceOf(URL);
    await expect(checkTarget('https://[2606:4700::1111]/hook', none)).resolves.toBeInstanceOf(URL);
    await expect(
      checkTarget('https://public.test/hook', none, fixed({ 'public.test': ['93.184.216.34', '2606:4700::1111'] })),
    ).resolves.toBeInstanceOf(URL);
  });

  it('shows the URL without credentials, query or fragment', async () => {
    const message = await refusal(checkTarget('http://user:secret@10.0.0.1:81/hook?token=abc#frag', none));
    expect(message).toBe(
      'http://10.0.0.1:81/hook is 10.0.0.1, a private address (add the host to DURABLE_TEAMS_WEBHOOK_ALLOW to allow it)',
    );
    expect(message).not.toContain('secret');
    expect(message).not.toContain('abc');
  });

  it('refuses what is not http(s), and names that do not resolve (a later try may succeed)', async () => {
    expect(await refusal(checkTarget('ftp://example.com/x', none))).toBe('ftp://example.com/x is not an http(s) URL');
    expect(await refusal(checkTarget('file:///etc/passwd', none))).toContain('is not an http(s) URL');
    const err = await checkTarget('http://nowhere.test/x', none, fixed({})).catch(
      (e: unknown) => e as { transient: boolean; message: string },
    );
    expect(err).toMatchObject({ transient: true, message: 'http://nowhere.test/x cannot be resolved (ENOTFOUND)' });
  });
});

describe('the allowlist (DURABLE_TEAMS_WEBHOOK_ALLOW)', () => {
  const resolve = fixed({ 'hooks.internal.test': ['10.1.2.3'], 'other.test': ['10.200.0.1'], 'v6.test': ['fd00::5'] });

  it('names a host, with or without a port', async () => {
    await expect(checkTarget('http://hooks.internal.test/x', targetPolicy(['hooks.internal.test']), resolve)).resolves.toBeDefined();
    await expect(
      checkTarget('http://hooks.internal.test:8080/x', targetPolicy(['hooks.internal.test:8080']), resolve),
    ).resolves.toBeDefined();
    await refusal(checkTarget('http://hooks.internal.test:9090/x', targetPolicy(['hooks.internal.test:8080']), resolve));
    await refusal(checkTarget('http://other.test/x', targetPolicy(['hooks.internal.test']), resolve));
  });

  it('names every subdomain with *.', async () => {
    const policy = targetPolicy(['*.internal.test']);
    await expect(checkTarget('http://hooks.internal.test/x', policy, resolve)).resolves.toBeDefined();
    await refusal(checkTarget('http://other.test/x', policy, resolve));
  });

  it('names addresses and networks, whatever name leads there', async () => {
    await expect(checkTarget('http://hooks.internal.test/x', targetPolicy(['10.1.0.0/16']), resolve)).resolves.toBeDefined();
    await expect(checkTarget('http://10.1.9.9/x', targetPolicy(['10.1.0.0/16']), resolve)).resolves.toBeDefined();
    await refusal(checkTarget('http://other.test/x', targetPolicy(['10.1.0.0/16']), resolve));
    await expect(checkTarget('http://v6.test/x', targetPolicy(['fd00::/8']), resolve)).resolves.toBeDefined();
    await expect(checkTarget('http://[::1]:4000/x', targetPolicy(['::1']), resolve)).resolves.toBeDefined();
    await expect(checkTarget('http://127.0.0.1:4000/x', targetPolicy(['127.0.0.1']), resolve)).resolves.toBeDefined();
    await refusal(checkTarget('http://127.0.0.2:4000/x', targetPolicy(['127.0.0.1']), resolve));
  });

  it('is read from the environment, comma-separated; empty allows nothing inward', async () => {
    const policy = targetPolicyFromEnv({ DURABLE_TEAMS_WEBHOOK_ALLOW: ' hooks.internal.test , 192.168.0.0/16 ' });
    expect(policy.entries).toEqual(['hooks.internal.test', '192.168.0.0/16']);
    await expect(checkTarget('http://192.168.3.4/x', policy)).resolves.toBeDefined();
    expect(targetPolicyFromEnv({}).entries).toEqual([]);
    expect(() => targetPolicy(['10.0.0.0/33'])).toThrow('the prefix is longer than the address');
  });
});

/** A receiver on 127.0.0.1 that counts every connection made to it. */
async function countingReceiver(answer: (res: import('node:http').ServerResponse) => void = (res) => res.end('ok')) {
  let connections = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => answer(res));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    counts: () => ({ connections, requests }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('checkedPost: the check made again at delivery', () => {
  const post = (url: string, policy = none, resolve?: Resolver) =>
    checkedPost(url, { headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(5_000), policy, resolve });

  it('refuses a loopback receiver that is not allowlisted before connecting to it', async () => {
    const receiver = await countingReceiver();
    try {
      expect(await refusal(post(`http://127.0.0.1:${receiver.port}/hook`))).toContain('a loopback address');
      expect(await refusal(post(`http://localhost:${receiver.port}/hook`))).toContain('resolves to');
      expect(receiver.counts()).toEqual({ connections: 0, requests: 0 });
    } finally {
      await receiver.close();
    }
  });

  it('refuses a name re-pointed inward after the first check, before connecting (no DNS rebinding)', async () => {
    const receiver = await countingReceiver();
    let lookups = 0;
    // The first answer (the check) is public; the second (the connection's own lookup) is loopback.
    const rebinding: Resolver = async () => [{ address: lookups++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    try {
      const message = await refusal(post(`http://rebind.test:${receiver.port}/hook`, none, rebinding));
      expect(message).toContain('resolves to 127.0.0.1, a loopback address');
      expect(lookups).toBe(2);
      expect(receiver.counts()).toEqual({ connections: 0, requests: 0 });
    } finally {
      await receiver.close();
    }
  });

  it('delivers to an allowlisted loopback receiver, by address or by a name that resolves there', async () => {
    const receiver = await countingReceiver();
    try {
      const policy = targetPolicy(['127.0.0.1']);
      expect((await post(`http://127.0.0.1:${receiver.port}/hook`, policy)).status).toBe(200);
      const named = fixed({ 'receiver.test': ['127.0.0.1'] });
      expect((await post(`http://receiver.test:${receiver.port}/hook`, policy, named)).status).toBe(200);
      expect(receiver.counts().requests).toBe(2);
    } finally {
      await receiver.close();
    }
  });

  it('does not follow a redirect (which could point anywhere): the 3xx is the answer', async () => {
    const receiver = await countingReceiver((res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      res.end();
    });
    try {
      const response = await post(`http://127.0.0.1:${receiver.port}/hook`, targetPolicy(['127.0.0.1']));
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data');
      expect(receiver.counts().requests).toBe(1);
    } finally {
      await receiver.close();
    }
  });
});
