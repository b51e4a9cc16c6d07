import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { CODEC_KEY_ID_ENV, CODEC_KEYS_ENV, CodecKeysError, codecKeyringFromEnv } from '../../src/temporal/codec/codec-keys';

const key32 = () => randomBytes(32).toString('base64');

/** The error `codecKeyringFromEnv` throws for this environment, checked to hold none of `secrets`. */
function keysError(env: Record<string, string>, secrets: string[] = []): string {
  let caught: unknown;
  try {
    codecKeyringFromEnv(env);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CodecKeysError);
  const message = (caught as Error).message;
  for (const secret of secrets) expect(message).not.toContain(secret);
  return message;
}

describe('codec keys from the environment', () => {
  it('is off when no keys are set, or the variable is blank', () => {
    expect(codecKeyringFromEnv({})).toBeNull();
    expect(codecKeyringFromEnv({ [CODEC_KEYS_ENV]: '  ' })).toBeNull();
  });

  it('takes id:base64key entries; the first is current unless the key id variable picks another', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const both = `2024-01:${a.toString('base64')}, 2024-07:${b.toString('base64url')}`;
    const first = codecKeyringFromEnv({ [CODEC_KEYS_ENV]: both })!;
    expect(first.currentKeyId).toBe('2024-01');
    expect(first.ids).toEqual(['2024-01', '2024-07']);
    expect(first.key('2024-01')).toEqual(a);
    expect(first.key('2024-07')).toEqual(b);
    expect(codecKeyringFromEnv({ [CODEC_KEYS_ENV]: both, [CODEC_KEY_ID_ENV]: '2024-07' })!.currentKeyId).toBe('2024-07');
  });

  it('never shows the key bytes when the keyring is printed', () => {
    const key = randomBytes(32);
    const keyring = codecKeyringFromEnv({ [CODEC_KEYS_ENV]: `k1:${key.toString('base64')}` })!;
    const shown = `${inspect(keyring, { depth: 5, showHidden: true })} ${JSON.stringify(keyring)}`;
    expect(shown).not.toContain(key.toString('base64'));
    expect(shown).not.toContain(key.toString('hex'));
    expect(shown).not.toContain(inspect(key));
  });

  it('refuses an entry with no id, naming the variable and the entry but not echoing it', () => {
    const secret = key32();
    expect(keysError({ [CODEC_KEYS_ENV]: `a:${key32()},${secret}` }, [secret])).toBe(
      `${CODEC_KEYS_ENV}: entry 2 has no key id; write it as id:base64key`,
    );
  });

  it('refuses an empty entry', () => {
    expect(keysError({ [CODEC_KEYS_ENV]: `a:${key32()},,` })).toBe(
      `${CODEC_KEYS_ENV}: entry 2 is empty; write id:base64key entries separated by commas`,
    );
  });

  it('refuses a malformed id without printing it (it may be a pasted key)', () => {
    const message = keysError({ [CODEC_KEYS_ENV]: 'ab+/=:xyz' }, ['ab+/=', 'xyz']);
    expect(message).toMatch(new RegExp(`^${CODEC_KEYS_ENV}: entry 1: the key id must be`));
  });

  it('refuses a key that is missing, not base64, or not 32 bytes, naming the entry and its id only', () => {
    expect(keysError({ [CODEC_KEYS_ENV]: 'a:' })).toBe(
      `${CODEC_KEYS_ENV}: entry 1 ("a") has no key after the ":"; make one with \`openssl rand -base64 32\``,
    );
    const notBase64 = 'not base64 at all!';
    expect(keysError({ [CODEC_KEYS_ENV]: `a:${notBase64}` }, [notBase64])).toBe(
      `${CODEC_KEYS_ENV}: entry 1 ("a"): the key is not base64; make one with \`openssl rand -base64 32\``,
    );
    const short = randomBytes(16).toString('base64');
    expect(keysError({ [CODEC_KEYS_ENV]: `a:${key32()},b:${short}` }, [short])).toBe(
      `${CODEC_KEYS_ENV}: entry 2 ("b"): the key has 16 bytes; AES-256 needs 32 (make one with \`openssl rand -base64 32\`)`,
    );
  });

  it('refuses a key id given twice', () => {
    expect(keysError({ [CODEC_KEYS_ENV]: `a:${key32()},a:${key32()}` })).toBe(
      `${CODEC_KEYS_ENV}: entry 2: the key id "a" is given twice; each key needs its own id`,
    );
  });

  it('refuses a current key id that names no key, and one set without keys', () => {
    const keys = `a:${key32()},b:${key32()}`;
    expect(keysError({ [CODEC_KEYS_ENV]: keys, [CODEC_KEY_ID_ENV]: 'c' })).toBe(
      `${CODEC_KEY_ID_ENV} is "c", which is not a key id in ${CODEC_KEYS_ENV} (ids: a, b)`,
    );
    expect(keysError({ [CODEC_KEY_ID_ENV]: 'a' })).toBe(
      `${CODEC_KEY_ID_ENV} is set but ${CODEC_KEYS_ENV} is not; put the keys there as id:base64key entries, comma-separated`,
    );
  });
});
