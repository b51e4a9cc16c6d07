/**
 * What a client may call a media type or a file name. Both end up in response headers when the
 * file is downloaded (Content-Type, Content-Disposition), where Node refuses anything outside
 * Latin-1 and any control character: such a value must be refused when it comes in, and made
 * safe when it goes out (see file-download.ts), or one upload breaks every later download.
 */

/** RFC 6838 §4.2 restricted-name: a letter or digit, then up to 126 of these. */
const RESTRICTED_NAME = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}';
/** RFC 9110 §5.6.2 token. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** RFC 9110 §5.6.4 quoted-string, ASCII only (obs-text is obsolete, and has no place in a type). */
const QUOTED = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';

/**
 * type/subtype with RFC 9110 §8.3.1 parameters (`*( OWS ";" OWS [ parameter ] )`). The spaces
 * after a semicolon belong to the parameter after them, or end the type: a failing match never
 * backtracks through the ways of splitting a run of spaces between two places.
 */
const MEDIA_TYPE = new RegExp(`^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:[ \\t]*;(?:[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))?)*[ \\t]*$`);

/** Whether `value` is a media type as RFC 6838 and RFC 9110 write one: `image/png`, `text/plain; charset=utf-8`. */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}

/** Why a part's media type is refused, or null when it is one. */
export function mediaTypeProblem(value: string): string | null {
  return isMediaType(value) ? null : `${quoted(value)} is not a media type (RFC 6838: type/subtype)`;
}

/** The longest file name taken: what common file systems allow in one path segment. */
export const MAX_FILE_NAME_CHARS = 255;

/**
 * Why a file name is refused, or null when it is taken. Control characters (a CR/LF among them)
 * and lone surrogates are never part of a real name; anything else printable is kept as sent,
 * and made safe for a header only when the file is served.
 */
export function fileNameProblem(name: string): string | null {
  const length = [...name].length;
  if (length > MAX_FILE_NAME_CHARS) return `has ${length} characters; the limit is ${MAX_FILE_NAME_CHARS}`;
  const control = /\p{Cc}/u.exec(name);
  if (control) return `${quoted(name)} holds a control character (U+${codePoint(control[0])}); send the name without it`;
  if (/\p{Cs}/u.test(name)) return `${quoted(name)} is not well-formed Unicode (it holds a lone surrogate)`;
  return null;
}

/** A value as an error message shows it: JSON-quoted (so control characters show as escapes), and not too long. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

const codePoint = (char: string): string => char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
