/**
 * The keys of the payload codec, read from the environment of every process that writes or reads
 * runs (workers, the CLI, the A2A front end, the codec server). Several keys may be given so that
 * histories written under an older key still decode after a rotation; new payloads use one of
 * them, the current key.
 *
 * Key material is never put into an error message or made visible to `console.log`: errors name
 * the variable, the entry's position and (once it is known to be a well-formed id) its key id.
 */

export const CODEC_KEYS_ENV = 'DURABLE_TEAMS_CODEC_KEYS';
export const CODEC_KEY_ID_ENV = 'DURABLE_TEAMS_CODEC_KEY_ID';

/** AES-256 keys: exactly 32 bytes. */
export const CODEC_KEY_BYTES = 32;

/** Key ids travel in plaintext payload metadata, so they are kept short and plain. */
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Standard or URL-safe base64, padded or not. */
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

const HOW_TO_MAKE_ONE = 'make one with `openssl rand -base64 32`';

export class CodecKeysError extends Error {
  override name = 'CodecKeysError';
}

/**
 * The codec's keys by id and the id new payloads are written with. The key bytes live in a private
 * field, which neither `util.inspect` nor `JSON.stringify` shows.
 */
export class CodecKeyring {
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: ReadonlyMap<string, Uint8Array>,
    readonly currentKeyId: string,
    /** Where the keys came from, for error messages (an environment variable's name, say). */
    readonly source = 'the codec keys',
  ) {
    for (const [id, key] of keys) {
      if (!KEY_ID.test(id))
        throw new CodecKeysError(`${source}: a key id must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
      if (key.length !== CODEC_KEY_BYTES)
        throw new CodecKeysError(`${source}: key "${id}" has ${key.length} bytes; AES-256 needs ${CODEC_KEY_BYTES} (${HOW_TO_MAKE_ONE})`);
    }
    if (!keys.has(currentKeyId))
      throw new CodecKeysError(`${source}: the current key id "${currentKeyId}" is not among the keys (${[...keys.keys()].join(', ')})`);
    this.#keys = new Map([...keys].map(([id, key]) => [id, Buffer.from(key)]));
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }
}

/**
 * The keyring described by `DURABLE_TEAMS_CODEC_KEYS` (comma-separated `id:base64key` entries)
 * and `DURABLE_TEAMS_CODEC_KEY_ID` (the current key's id; default: the first entry's), or null
 * when no keys are set, which leaves payloads unencrypted.
 */
export function codecKeyringFromEnv(env: Record<string, string | undefined> = process.env): CodecKeyring | null {
  const listed = env[CODEC_KEYS_ENV]?.trim();
  const chosen = env[CODEC_KEY_ID_ENV]?.trim();
  if (!listed) {
    if (chosen)
      throw new CodecKeysError(
        `${CODEC_KEY_ID_ENV} is set but ${CODEC_KEYS_ENV} is not; put the keys there as id:base64key entries, comma-separated`,
      );
    return null;
  }
  const keys = new Map<string, Buffer>();
  listed.split(',').forEach((raw, i) => {
    const [id, key] = parseEntry(raw.trim(), `${CODEC_KEYS_ENV}: entry ${i + 1}`);
    if (keys.has(id))
      throw new CodecKeysError(`${CODEC_KEYS_ENV}: entry ${i + 1}: the key id "${id}" is given twice; each key needs its own id`);
    keys.set(id, key);
  });
  const current = chosen || keys.keys().next().value!;
  if (!keys.has(current)) {
    throw new CodecKeysError(
      `${CODEC_KEY_ID_ENV} is "${current}", which is not a key id in ${CODEC_KEYS_ENV} (ids: ${[...keys.keys()].join(', ')})`,
    );
  }
  return new CodecKeyring(keys, current, CODEC_KEYS_ENV);
}

/** One `id:base64key` entry. Nothing of the entry is echoed until its id is known to be an id. */
function parseEntry(entry: string, where: string): [string, Buffer] {
  if (!entry) throw new CodecKeysError(`${where} is empty; write id:base64key entries separated by commas`);
  const colon = entry.indexOf(':');
  if (colon < 0) throw new CodecKeysError(`${where} has no key id; write it as id:base64key`);
  const id = entry.slice(0, colon).trim();
  const encoded = entry.slice(colon + 1).trim();
  if (!KEY_ID.test(id))
    throw new CodecKeysError(`${where}: the key id must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  if (!encoded) throw new CodecKeysError(`${where} ("${id}") has no key after the ":"; ${HOW_TO_MAKE_ONE}`);
  if (!BASE64.test(encoded)) throw new CodecKeysError(`${where} ("${id}"): the key is not base64; ${HOW_TO_MAKE_ONE}`);
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== CODEC_KEY_BYTES) {
    throw new CodecKeysError(`${where} ("${id}"): the key has ${key.length} bytes; AES-256 needs ${CODEC_KEY_BYTES} (${HOW_TO_MAKE_ONE})`);
  }
  return [id, key];
}
