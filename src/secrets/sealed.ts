import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets that must travel through a run (a push receiver's token or credentials) are sealed
 * with AES-256-GCM before they enter workflow input, state or history, and opened only where
 * they are used (the delivery activity) or handed back to their owner (the A2A front end).
 * The key comes from the environment of those processes and never from Temporal.
 */

export const SECRETS_KEY_ENV = 'DURABLE_TEAMS_SECRETS_KEY';

const PREFIX = 'sealed:v1:';

export class SecretsKeyError extends Error {
  override name = 'SecretsKeyError';
}

/** A key of any length is stretched to 32 bytes, so a passphrase works as well as random bytes. */
function keyBytes(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function secretBox(key: string): SecretBox {
  if (!key) throw new SecretsKeyError(`${SECRETS_KEY_ENV} is empty`);
  const k = keyBytes(key);
  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed: string): string {
      if (!isSealed(sealed)) throw new SecretsKeyError('not a sealed secret');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (raw.length < 28) throw new SecretsKeyError('sealed secret is truncated');
      const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        // The message must not hint at the content; a wrong key is by far the likeliest cause.
        throw new SecretsKeyError(`a sealed secret could not be opened: ${SECRETS_KEY_ENV} differs from the key it was sealed with`);
      }
    },
  };
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** The box for this process's environment, or null when no key is configured. */
export function secretBoxFromEnv(env: Record<string, string | undefined> = process.env): SecretBox | null {
  const key = env[SECRETS_KEY_ENV];
  return key ? secretBox(key) : null;
}
