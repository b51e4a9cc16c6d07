import { baseMediaType } from '../core/attachments';

/** Which files a front end takes with a message, and how big. */
export interface FilePolicy {
  /** Largest file, decoded, in bytes (a URL's file is not fetched, so not counted). */
  maxFileBytes: number;
  /** Media types taken: exact (`application/pdf`), a family (`image/*`) or anything (`*\/*`). */
  mediaTypes: readonly string[];
}

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Images the common vision models read, PDFs, text and JSON. */
export const DEFAULT_FILE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/*', 'application/json'];

export const DEFAULT_FILE_POLICY: FilePolicy = { maxFileBytes: DEFAULT_MAX_FILE_BYTES, mediaTypes: DEFAULT_FILE_TYPES };

/** Whether a media type is one the policy takes. */
export function takesMediaType(policy: FilePolicy, mediaType: string): boolean {
  const type = baseMediaType(mediaType);
  const family = `${type.split('/', 1)[0]}/*`;
  return policy.mediaTypes.some((allowed) => allowed === '*/*' || allowed === type || allowed === family);
}

/** `image/*, application/pdf` → its entries, each checked to look like a media type. */
export function parseMediaTypes(value: string, where: string): string[] {
  const types = value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const bad = types.find((t) => !/^([a-z0-9][\w.+-]*|\*)\/([a-z0-9][\w.+-]*|\*)$/.test(t));
  if (bad !== undefined) throw new Error(`${where}: "${bad}" is not a media type; give types like image/png, image/* or */*`);
  if (types.length === 0) throw new Error(`${where}: no media types given`);
  return types;
}
