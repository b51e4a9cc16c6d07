import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataConverter } from '@temporalio/common';
import { memoryStoreOn } from '../../src/site/default-memory';
import type { MemoryStore } from '../../src/memory/memory-store';
import { maxMessages, team, type MemorySpec, type TeamSpec } from '../../src/spec';
import type { ConversationStore } from '../../src/store/conversation-store';
import { conversationStoreOn } from '../../src/site/default-store';
import { StoreSite } from '../../src/site/store-site';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import type { ScriptedModelServer } from '../../src/testing/scripted-model';
import { codecEnv, newKey } from '../codec/codec-env';

export const FACT = 'The customer prefers teal for the invoice header.';

/** keeper remembers FACT in its first call and then says so; asker only answers; seeker recalls. */
export const MEMORY_SCRIPT = {
  agents: {
    keeper: [{ toolCalls: [{ name: 'remember', arguments: { text: FACT } }] }, 'Noted.'],
    asker: ['Here is my answer.'],
    seeker: [{ toolCalls: [{ name: 'recall', arguments: { query: 'invoice header' } }] }, 'Found it.'],
  },
};

/** A team of one agent with memory that ends after its turn. */
export function memoryTeam(name: string, agent: 'keeper' | 'asker' | 'seeker', memory: MemorySpec): TeamSpec {
  return team(name)
    .roundRobin()
    .model({ model: 'scripted' })
    .agent(agent, { description: 'Keeps notes.', memory, reflectOnToolUse: true })
    .terminateWhen(maxMessages(2))
    .build();
}

/** The system messages of an agent's first model call in a run, as the scripted model received them. */
export function systemMessagesOf(model: ScriptedModelServer, runId: string, agent: string): string[] {
  const first = model.requests.find((r) => r.runId === runId && r.agent === agent);
  if (!first) throw new Error(`agent ${agent} made no model call in run ${runId}`);
  return (first.messages as { role: string; content: string }[]).filter((m) => m.role === 'system').map((m) => m.content);
}

/** A store of either kind with the codec on, and where its raw bytes can be read. */
export interface MemoryBackendUnderTest {
  conversations: ConversationStore;
  memory: MemoryStore;
  dataConverter: DataConverter;
  /** The codec keys' variables, for CLI processes that read the same memory. */
  codecEnv: Record<string, string>;
  url: string;
  /** Every byte the backend keeps of memory, as text (latin1), to look for plaintext in. */
  rawMemory(): Promise<string>;
  close(): Promise<void>;
}

export async function openBackendUnderTest(kind: 'embedded' | 'postgres'): Promise<MemoryBackendUnderTest> {
  const keys = codecEnv({ 'memory-key': newKey() });
  const dataConverter = dataConverterFromEnv(keys)!;
  let postgres: TestPostgres | undefined;
  const url = kind === 'embedded' ? mkdtempSync(join(tmpdir(), 'durable-teams-memory-')) : (postgres = await startPostgres()).url;
  const conversations = conversationStoreOn(await StoreSite.of(url).openConversations(), dataConverter);
  const memory = memoryStoreOn(await StoreSite.of(url).openMemory(), dataConverter);
  return {
    conversations,
    memory,
    dataConverter,
    codecEnv: keys,
    url,
    rawMemory: async () => {
      if (kind === 'embedded') return filesUnder(join(url, 'memory'));
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        const { rows } = await db.query<{ namespace: string; id: string; data: Buffer }>('SELECT namespace, id, data FROM memory_entries');
        return rows.map((r) => `${r.namespace} ${r.id} ${r.data.toString('latin1')}`).join('\n');
      } finally {
        await db.end();
      }
    },
    close: async () => {
      await memory.close();
      await conversations.close();
      await postgres?.destroy();
    },
  };
}

/**
 * Every file under the folder as text, each line's base64 field decoded too: the log keeps the
 * sealed bytes in base64, which would hide plaintext from a plain search.
 */
export function filesUnder(folder: string): string {
  let text = '';
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      text += filesUnder(path);
      continue;
    }
    const raw = readFileSync(path, 'latin1');
    const decoded = raw.split('\n').map((line) => Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('latin1'));
    text += `${raw}\n${decoded.join('\n')}\n`;
  }
  return text;
}
