import type { MemoryEntry } from '../../../src/memory/memory-entry';
import { cosine, keywordsOf, matchingByKeywords, rankByKeywords, rankBySimilarity } from '../../../src/memory/retrieval';
import { hashedBagOfWords } from '../../../src/testing/scripted-model/embeddings';

/** Entries newest first, as stores list them. */
const entries = (...texts: string[]): MemoryEntry[] =>
  texts.map((text, i) => ({ id: `e${i}`, scope: 't/team/t', text, createdAt: 1_000 - i }));
const ids = (found: MemoryEntry[]) => found.map((e) => e.id);

describe('keyword retrieval', () => {
  it('keeps the words that say what a text is about: lowercase, no stop words, no single letters', () => {
    expect([...keywordsOf('What is the Colour of the invoice header? A teal one, 2026.')]).toEqual([
      'colour',
      'invoice',
      'header',
      'teal',
      'one',
      '2026',
    ]);
  });

  it('ranks by how many query words an entry shares, ties to the newest, then tops up with the newest', () => {
    const kept = entries('lunch at noon', 'invoice header colour teal', 'invoice total', 'parking spot', 'invoice header font');
    // e1 and e4 share two words (e1 newer), e2 shares one; e0 and e3 fill up, newest first.
    expect(ids(rankByKeywords(kept, 'Which invoice header?', 5))).toEqual(['e1', 'e4', 'e2', 'e0', 'e3']);
    expect(ids(rankByKeywords(kept, 'Which invoice header?', 2))).toEqual(['e1', 'e4']);
    expect(ids(rankByKeywords(kept, 'nothing in common', 2))).toEqual(['e0', 'e1']);
  });

  it('recall answers matches only, with no top-up', () => {
    expect(ids(matchingByKeywords(entries('lunch at noon', 'invoice total'), 'invoice', 5))).toEqual(['e1']);
    expect(matchingByKeywords(entries('lunch at noon'), 'invoice', 5)).toEqual([]);
  });
});

describe('similarity retrieval', () => {
  it('ranks by cosine, closest first; entries without an embedding come last, newest first', () => {
    const kept: MemoryEntry[] = [
      { id: 'none', scope: 's', text: 'no vector', createdAt: 3 },
      { id: 'far', scope: 's', text: 'x', createdAt: 2, embedding: [0, 1] },
      { id: 'near', scope: 's', text: 'y', createdAt: 1, embedding: [1, 0.1] },
    ];
    expect(ids(rankBySimilarity(kept, [1, 0], 3))).toEqual(['near', 'far', 'none']);
    expect(ids(rankBySimilarity(kept, [1, 0], 1))).toEqual(['near']);
    expect(ids(rankBySimilarity(kept, [1, 0], 3, { relatedOnly: true }))).toEqual(['near']); // what recall answers
  });

  it('gives 0 for vectors of another length or all zeros', () => {
    expect(cosine([1, 0], [1, 0, 0])).toBe(0);
    expect(cosine([0, 0], [1, 0])).toBe(0);
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1);
  });
});

describe("the scripted model's embeddings", () => {
  it('are deterministic, of length 1, and closer for texts that share words', () => {
    const a = hashedBagOfWords('colour teal');
    expect(hashedBagOfWords('colour teal')).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1);
    const query = hashedBagOfWords('Pick a colour.');
    expect(cosine(query, a)).toBeGreaterThan(
      cosine(query, hashedBagOfWords('quarterly budget report uses colour printing on glossy paper stock')),
    );
    expect(cosine(query, hashedBagOfWords('lunch at noon'))).toBe(0);
  });
});
