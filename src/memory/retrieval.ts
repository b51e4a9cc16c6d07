import type { MemoryEntry } from './memory-entry';

/**
 * Which entries an agent is shown: pure functions over entries already read and decrypted.
 * Entries arrive newest first, and every sort here is stable, so ties go to the newest.
 */

// Words too common to say what a text is about.
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so that the their them then there these they this to was we were what when where ' +
    'which who why will with would you your'
  ).split(' '),
);

/** The words of a text that may say what it is about: lowercase, letters and digits, no stop words. */
export function keywordsOf(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)));
}

/**
 * Keyword match: entries sharing the most distinct keywords with the query first, then (to fill
 * `top`) the newest of the rest, so an agent sees what is recent even when nothing matches.
 */
export function rankByKeywords(entries: readonly MemoryEntry[], query: string, top: number): MemoryEntry[] {
  const wanted = keywordsOf(query);
  const scored = entries.map((entry) => ({ entry, score: sharedCount(wanted, entryKeywords(entry)) }));
  const matching = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
  const chosen = matching.slice(0, top).map((s) => s.entry);
  for (const s of scored) {
    if (chosen.length >= top) break;
    if (s.score === 0) chosen.push(s.entry);
  }
  return chosen;
}

/** Keyword match without the top-up: what `recall` answers (only entries about the query). */
export function matchingByKeywords(entries: readonly MemoryEntry[], query: string, top: number): MemoryEntry[] {
  const wanted = keywordsOf(query);
  return entries
    .map((entry) => ({ entry, score: sharedCount(wanted, entryKeywords(entry)) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, top)
    .map((s) => s.entry);
}

/**
 * Similarity search: entries by the cosine of their embedding with the query's, closest first.
 * Entries written before the memory had embeddings come last, newest first. `relatedOnly` (what
 * `recall` answers) leaves out entries with nothing in common with the query (cosine 0 or less).
 */
export function rankBySimilarity(
  entries: readonly MemoryEntry[],
  query: readonly number[],
  top: number,
  options: { relatedOnly?: boolean } = {},
): MemoryEntry[] {
  return entries
    .map((entry) => ({ entry, score: entry.embedding ? cosine(query, entry.embedding) : -Infinity }))
    .filter((s) => !options.relatedOnly || s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, top)
    .map((s) => s.entry);
}

/** The cosine of two vectors; 0 when either is all zeros or their lengths differ (another model's). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

// An entry's keywords, worked out once: entries are immutable and the store hands the same
// objects to every lookup (see MemoryStore.entries), so 10,000 texts are not split on each call.
const keywordsOfEntry = new WeakMap<MemoryEntry, Set<string>>();

function entryKeywords(entry: MemoryEntry): Set<string> {
  let words = keywordsOfEntry.get(entry);
  if (!words) keywordsOfEntry.set(entry, (words = keywordsOf(entry.text)));
  return words;
}

function sharedCount(wanted: ReadonlySet<string>, have: ReadonlySet<string>): number {
  let count = 0;
  for (const word of wanted) if (have.has(word)) count += 1;
  return count;
}
