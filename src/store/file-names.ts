import { createHash } from 'node:crypto';

// Names stay well under the 255-byte limit of common file systems, with room for a temp suffix.
const MAX_NAME = 180;

/**
 * A file name for any id (run ids hold `/`, keys may hold anything): lowercase letters, digits,
 * `-` and `_` kept, every other byte as `%xx` in lowercase hex. Uppercase letters are escaped too,
 * so that two ids differing only in case stay apart on case-insensitive file systems (macOS).
 * A long id keeps a readable head and ends in a hash of the whole id.
 */
export function safeFileName(id: string): string {
  let name = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const isKept = (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x5f;
    name += isKept ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`;
  }
  if (name.length === 0) return '%empty';
  return name.length <= MAX_NAME ? name : `${name.slice(0, 100)}~${sha256Hex(id).slice(0, 40)}`;
}

/** Two hex digits from the key's hash: spreads bodies over 256 folders, so none grows huge. */
export function shardOf(id: string): string {
  return sha256Hex(id).slice(0, 2);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
