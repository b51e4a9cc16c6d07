import { randomBytes } from 'node:crypto';
import { CODEC_KEY_ID_ENV, CODEC_KEYS_ENV } from '../../src/temporal/codec/codec-keys';

/** A fresh random AES-256 key, as `openssl rand -base64 32` makes one. */
export const newKey = (): string => randomBytes(32).toString('base64');

/** The environment variables that switch the codec on with these keys (id -> base64 key). */
export function codecEnv(keys: Record<string, string>, currentKeyId?: string): Record<string, string> {
  return {
    [CODEC_KEYS_ENV]: Object.entries(keys)
      .map(([id, key]) => `${id}:${key}`)
      .join(','),
    ...(currentKeyId ? { [CODEC_KEY_ID_ENV]: currentKeyId } : {}),
  };
}
