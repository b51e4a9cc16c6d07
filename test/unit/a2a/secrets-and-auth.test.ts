import { bearerTokens, tokensFromEnv } from '../../../src/access/auth';
import { publicPushConfig, sealPushConfig } from '../../../src/a2a/push-configs';
import { isSealed, secretBox } from '../../../src/secrets/sealed';
import { applyPushChange, refusePushChange, MAX_PUSH_CONFIGS, type PushConfig } from '../../../src/core/push';

describe('sealed secrets', () => {
  const box = secretBox('a key');

  it('round-trips, never shows the plaintext, and differs each time', () => {
    const a = box.seal('s3cret-token');
    const b = box.seal('s3cret-token');
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain('s3cret');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('s3cret-token');
  });

  it('refuses to open with another key, without a hint of the content', () => {
    const sealed = box.seal('s3cret-token');
    expect(() => secretBox('other key').open(sealed)).toThrow(/DURABLE_TEAMS_SECRETS_KEY differs/);
    expect(() => box.open(sealed.slice(0, -4) + 'AAAA')).toThrow(/could not be opened/);
  });
});

describe('push configs', () => {
  const box = secretBox('k');
  const params = {
    tenant: '',
    id: 'p1',
    taskId: 't',
    url: 'http://127.0.0.1:9/hook',
    token: 'tok-123',
    authentication: { scheme: 'Bearer', credentials: 'cred-456' },
  };

  it('are sealed on the way in; the token comes back out, credentials never', () => {
    const sealed = sealPushConfig(params, box);
    expect(JSON.stringify(sealed)).not.toMatch(/tok-123|cred-456/);
    expect(publicPushConfig('t', sealed, box)).toMatchObject({
      id: 'p1',
      token: 'tok-123',
      authentication: { scheme: 'Bearer', credentials: '' },
    });
  });

  it('need a key only when they carry a secret', () => {
    expect(() => sealPushConfig(params, null)).toThrow(/DURABLE_TEAMS_SECRETS_KEY/);
    expect(sealPushConfig({ ...params, token: '', authentication: undefined }, null)).toMatchObject({ token: null, authentication: null });
    expect(() => sealPushConfig({ ...params, url: 'ftp://x' }, box)).toThrow(/http or https/);
    expect(() => sealPushConfig({ ...params, url: 'not a url' }, box)).toThrow(/not a URL/);
  });

  it('are changed only when the run can take the change', () => {
    const one: PushConfig = { id: 'a', url: 'http://x/', token: null, authentication: null };
    expect(refusePushChange([], { op: 'set', config: one }, true)).toMatch(/ended/);
    expect(refusePushChange([], { op: 'delete', id: 'a' }, false)).toBeNull();
    const full = Array.from({ length: MAX_PUSH_CONFIGS }, (_, i) => ({ ...one, id: `c${i}` }));
    expect(refusePushChange(full, { op: 'set', config: one }, false)).toMatch(/at most/);
    expect(refusePushChange(full, { op: 'set', config: { ...one, id: 'c0' } }, false)).toBeNull();
    expect(applyPushChange([one], { op: 'set', config: { ...one, url: 'http://y/' } })).toEqual([{ ...one, url: 'http://y/' }]);
    expect(applyPushChange([one], { op: 'delete', id: 'a' })).toEqual([]);
  });
});

describe('bearer tokens', () => {
  it('names the caller of a known token and no one else', () => {
    const tokens = bearerTokens(['alice=aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', '# a comment', ''], 'test');
    expect(tokens.count).toBe(2);
    expect(tokens.identify('aaaaaaaaaaaaaaaaaaaa')).toEqual({ name: 'alice', roles: new Set() });
    expect(tokens.identify('bbbbbbbbbbbbbbbbbbbb')).toEqual({ name: 'client-2', roles: new Set() });
    expect(tokens.identify('cccccccccccccccccccc')).toBeNull();
  });

  it('reads roles after the name, and refuses a role it does not know, naming the entry', () => {
    const tokens = bearerTokens(['carol:operator=cccccccccccccccccccc', 'dave : operator = dddddddddddddddddddd'], 'test');
    expect(tokens.identify('cccccccccccccccccccc')).toEqual({ name: 'carol', roles: new Set(['operator']) });
    expect(tokens.identify('dddddddddddddddddddd')).toEqual({ name: 'dave', roles: new Set(['operator']) });
    expect(() => bearerTokens(['alice=aaaaaaaaaaaaaaaaaaaa', 'erin:admin=eeeeeeeeeeeeeeeeeeee'], 'tokens file t')).toThrow(
      'tokens file t: token 2 (erin) has the role "admin"; the roles are operator',
    );
    expect(() => bearerTokens([':operator=eeeeeeeeeeeeeeeeeeee'], 'test')).toThrow(/token 1 has an empty name/);
  });

  it('refuses short tokens and missing settings without echoing a token', () => {
    expect(() => bearerTokens(['bob=tiny-tok'], 'test')).toThrow(/token 1 \(bob\) is shorter than 16/);
    expect(() => bearerTokens(['bob=tiny-tok'], 'test')).not.toThrow(/tiny-tok/);
    expect(() => tokensFromEnv('NOPE_TOKENS', {})).toThrow(/NOPE_TOKENS is not set/);
  });
});
