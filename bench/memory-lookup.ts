import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryRequest } from '../src/core/memory-request';
import { entriesForQuery } from '../src/memory/agent-memory';
import { memoryStoreOn } from '../src/site/default-memory';
import { openAiEmbedder } from '../src/memory/embeddings';
import { memoryNamespace, type MemoryEntry } from '../src/memory/memory-entry';
import type { MemoryStore } from '../src/memory/memory-store';
import { dataConverterFromEnv } from '../src/temporal/codec/data-converter';
import { startPostgres, type TestPostgres } from '../src/testing/postgres';
import { StoreSite } from '../src/site/store-site';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { hashedBagOfWords } from '../src/testing/scripted-model/embeddings';
import { fmt, median, percentile, timeEach } from './stats';

const ENTRIES = Number(process.env.BENCH_MEMORY_ENTRIES ?? 10_000);
const LOOKUPS = Number(process.env.BENCH_MEMORY_LOOKUPS ?? 30);
const COLD_LOOKUPS = Number(process.env.BENCH_MEMORY_COLD_LOOKUPS ?? 5);
const TEAM = 'bench-memory';

// A vocabulary to make entries of: texts share some words, as notes about one subject do.
const WORDS = Array.from({ length: 600 }, (_, i) => `w${(i * 7919).toString(36)}`);

/** Entry i: twelve words picked by a fixed sequence, so every run of the bench stores the same texts. */
function entryText(i: number): string {
  let seed = i * 2_654_435_761 + 1;
  const words: string[] = [];
  for (let k = 0; k < 12; k++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    words.push(WORDS[seed % WORDS.length]!);
  }
  return `note ${i}: ${words.join(' ')}`;
}

/**
 * What a memory lookup costs before a model call, among 10,000 entries of one scope: every entry
 * read from the backend, unsealed (the codec on or off), ranked in the process by keyword, or by
 * cosine against the query's embedding (one request to the scripted embeddings endpoint through
 * the real `openai` client; entries carry 256-dimension vectors). Embedded folder and PostgreSQL.
 * Warm: a worker that has looked before (entries it decrypted are kept; only ids are listed).
 * Cold: a process's first lookup of the scope (every entry read and decrypted).
 */
export async function benchMemoryLookup(log: (line: string) => void): Promise<string> {
  const model = await startScriptedModelServer({ script: { agents: { none: ['-'] } } });
  const folder = mkdtempSync(join(tmpdir(), 'durable-teams-bench-memory-'));
  let postgres: TestPostgres | null = null;
  const summary: string[] = [];
  try {
    const embed = openAiEmbedder({ baseUrl: model.baseUrl }, {});
    const codec = dataConverterFromEnv({ DURABLE_TEAMS_CODEC_KEYS: `bench:${randomBytes(32).toString('base64')}` });
    const backends: { name: string; url: string }[] = [{ name: 'embedded', url: folder }];
    try {
      postgres = await startPostgres();
      backends.push({ name: 'PostgreSQL', url: postgres.url });
    } catch (err) {
      log(`memory lookup: PostgreSQL skipped (${(err as Error).message.split('\n')[0]})`);
    }
    log(`memory lookup among ${ENTRIES} entries of one scope (top 5), ${LOOKUPS} warm and ${COLD_LOOKUPS} cold lookups each:`);
    for (const { name, url } of backends) {
      for (const sealed of [false, true]) {
        const backend = await StoreSite.of(url).openMemory();
        const converter = sealed ? codec : undefined;
        const key = `${name}-${sealed ? 'sealed' : 'plain'}`;
        try {
          await seed(memoryStoreOn(backend, converter), key);
          const request: MemoryRequest = { team: TEAM, scope: 'user', key, top: 5 };
          const query = () =>
            entryText(Math.floor(Math.random() * ENTRIES))
              .split(' ')
              .slice(2, 6)
              .join(' ');
          const warm = { store: memoryStoreOn(backend, converter), embed };
          for (const [how, asked] of [
            ['keyword', request],
            ['embedding', { ...request, embeddings: { model: 'scripted-embeddings', baseUrl: model.baseUrl } }],
          ] as const) {
            // Cold: a store with nothing decrypted yet, each time.
            const cold = await timeEach(COLD_LOOKUPS, () =>
              entriesForQuery({ store: memoryStoreOn(backend, converter), embed }, asked, query(), 'bench'),
            );
            await entriesForQuery(warm, asked, query(), 'bench'); // the warm store's first look
            const times = await timeEach(LOOKUPS, () => entriesForQuery(warm, asked, query(), 'bench'));
            log(
              `  ${name.padEnd(10)} codec ${sealed ? 'on ' : 'off'}  ${how.padEnd(9)}: warm p50 ${fmt(median(times))}  p99 ${fmt(percentile(times, 99))};  cold p50 ${fmt(median(cold))}`,
            );
            const label = `memory_${name.toLowerCase()}_${sealed ? 'sealed' : 'plain'}_${how}`;
            summary.push(`${label}_p50_ms=${median(times).toFixed(1)} ${label}_p99_ms=${percentile(times, 99).toFixed(1)}`);
          }
        } finally {
          await backend.close();
        }
      }
    }
  } finally {
    await postgres?.destroy();
    await model.close();
    rmSync(folder, { recursive: true, force: true });
  }
  return summary.join(' ');
}

/** The scope's entries, written in batches as `remember` would have over time, each with its embedding. */
async function seed(store: MemoryStore, key: string): Promise<void> {
  const scope = memoryNamespace(TEAM, 'user', key);
  for (let from = 0; from < ENTRIES; from += 1_000) {
    const batch: MemoryEntry[] = [];
    for (let i = from; i < Math.min(ENTRIES, from + 1_000); i++) {
      const text = entryText(i);
      batch.push({ id: `e${i}`, scope, text, createdAt: 1_700_000_000_000 + i, embedding: hashedBagOfWords(text) });
    }
    await store.addAll(batch);
  }
}
