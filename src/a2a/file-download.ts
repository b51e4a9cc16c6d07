import { create as contentDisposition } from 'content-disposition';
import type { FileAttachment } from '../core/attachments';
import { isMediaType, MAX_FILE_NAME_CHARS } from './media-type';

/** What a name that is missing, or nothing once made safe, is served as. */
const FALLBACK_NAME = 'file';

/**
 * The headers of a caller's file served back: always an attachment (never shown in the page,
 * whatever its type: text/html and image/svg+xml included), in a sandbox with nothing allowed
 * should a browser show it anyway, and never sniffed. A type or a name stored before they were
 * checked (see media-type.ts) is served safely rather than failing: an unreadable type as
 * application/octet-stream, a name with what a header or a file system cannot hold replaced.
 */
export function downloadHeaders(file: Pick<FileAttachment, 'name' | 'mediaType'>): Record<string, string> {
  return {
    'Content-Type': isMediaType(file.mediaType) ? file.mediaType : 'application/octet-stream',
    // RFC 6266: filename="<ASCII>" for old clients, filename*=UTF-8''<the name> (RFC 8187) for the rest.
    'Content-Disposition': contentDisposition(downloadName(file.name)),
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  };
}

/**
 * A file's name as a download may carry it: control and format characters (CR/LF, and the
 * right-to-left overrides that make `exe.txt` of `txt.exe`) and path separators become `_`;
 * lone surrogates too (they cannot be written as UTF-8); not longer than a file system takes.
 */
export function downloadName(name: string | undefined): string {
  const safe = [...(name ?? '').replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}/\\]/gu, '_')].slice(0, MAX_FILE_NAME_CHARS).join('').trim();
  return safe || FALLBACK_NAME;
}
