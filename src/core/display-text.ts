// C0 and C1 controls, DEL, U+2028/2029, and the bidi marks, embeddings, overrides and isolates:
// matching control characters is this expression's whole point.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text someone else chose (a run id, a context id, a token name) as a terminal or a log may show
 * it: control characters (C0, DEL, C1), line and paragraph separators and the bidirectional
 * controls (which can make `evil‮txt.exe` read `evilexe.txt`) written as escapes, so what is
 * printed is what is there, on one line. Everything else, other scripts included, is kept.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => NAMED[char] ?? `\\u{${char.codePointAt(0)!.toString(16).padStart(4, '0')}}`);
}

/** `printable` in double quotes, cut to `max` characters (the whole length said) so a huge id stays one short line. */
export function quoted(text: string, max = 80): string {
  if (text.length <= max) return `"${printable(text)}"`;
  return `"${printable(text.slice(0, max))}…" (${text.length} characters)`;
}

/** `printable` for text of many lines (a message, a prompt): its line breaks and tabs kept, every other control escaped. */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) => printable(line).replace(/\\t/g, '\t'))
    .join('\n');
}
