import { forgetMemory, listMemory } from '../../src/memory/memory-admin';
import { rememberText } from '../../src/memory/agent-memory';
import { openAiEmbedder } from '../../src/memory/embeddings';
import { InvalidRequestError } from '../../src/temporal/errors';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { FACT, MEMORY_SCRIPT, memoryTeam, openBackendUnderTest, systemMessagesOf, type MemoryBackendUnderTest } from './memory-fixtures';

/**
 * Agent memory on a real Temporal server, the real `openai` client and the scripted model, on both
 * store backends with the codec on: what `remember` keeps in one run is shown to the model in the
 * next run of the same scope and not in another scope's; embeddings pick the closest entry.
 */
describe.each(['embedded', 'postgres'] as const)('agent memory across runs, %s store', (kind) => {
  let model: ScriptedModelServer;
  let backend: MemoryBackendUnderTest;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: MEMORY_SCRIPT });
    backend = await openBackendUnderTest(kind);
    env = await startTestWorker({
      model: { baseUrl: model.baseUrl },
      store: backend.conversations,
      memory: backend.memory,
      dataConverter: backend.dataConverter,
    });
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    await backend?.close();
    await model?.close();
  }, 60_000);

  const note = (...texts: string[]) => `Relevant memory:\n${texts.map((t) => `- ${t}`).join('\n')}`;

  it("remembered in one run, recalled in the next run of the same user, not in another user's; sealed at rest", async () => {
    const memo = memoryTeam(`memo-${kind}`, 'keeper', { scope: 'user' });
    await expect(env.client.start(memo, 'Note the colour.')).rejects.toThrow(InvalidRequestError);
    await expect(env.client.start(memo, 'Note the colour.')).rejects.toThrow('memory.scope: user');

    const first = await env.client.start(memo, 'Note the colour for the invoice header.', { user: 'alice' });
    expect((await env.client.result(first)).snapshot.status).toBe('completed');
    expect(systemMessagesOf(model, first, 'keeper')).toHaveLength(1); // nothing kept yet

    const second = await env.client.start(memo, 'Which colour goes on the invoice header?', { user: 'alice' });
    expect((await env.client.result(second)).snapshot.status).toBe('completed');
    expect(systemMessagesOf(model, second, 'keeper')).toEqual([expect.any(String), note(FACT)]);

    const other = await env.client.start(memo, 'Which colour goes on the invoice header?', { user: 'bob' });
    expect((await env.client.result(other)).snapshot.status).toBe('completed');
    expect(systemMessagesOf(model, other, 'keeper')).toHaveLength(1);

    // One entry a run (keyed by each call's idempotency key), in alice's scope only.
    const alice = await listMemory(backend.memory, { team: memo.name, scope: 'user', key: 'alice' });
    expect(alice.map((e) => e.text)).toEqual([FACT, FACT]);
    expect(alice.map((e) => e.id).sort()).toEqual([first, second].map((run) => `${run}/turn-0/keeper/0/call_1`).sort());
    expect(await listMemory(backend.memory, { team: memo.name, scope: 'user', key: 'bob' })).toHaveLength(1);

    // The codec is on: no entry's text is in the backend in plaintext.
    const raw = await backend.rawMemory();
    expect(raw).toContain(first); // the ids (idempotency keys) are in clear...
    expect(raw).not.toContain('teal'); // ...the text is not
  }, 120_000);

  it('forget removes a scope, and the next run of that scope is shown nothing', async () => {
    const memo = memoryTeam(`forget-${kind}`, 'keeper', { scope: 'context' });
    const first = await env.client.start(memo, 'Note the colour.', { contextId: 'ctx-1' });
    await env.client.result(first);
    expect(await listMemory(backend.memory, { team: memo.name, scope: 'context', key: 'ctx-1' })).toHaveLength(1);
    // Another context of the same team sees nothing of it.
    const elsewhere = await env.client.start(memo, 'The colour?', { contextId: 'ctx-2' });
    await env.client.result(elsewhere);
    expect(systemMessagesOf(model, elsewhere, 'keeper')).toHaveLength(1);

    expect(await forgetMemory(backend.memory, { team: memo.name, scope: 'context', key: 'ctx-1' })).toBe(1);
    const after = await env.client.start(memo, 'The colour?', { contextId: 'ctx-1' });
    await env.client.result(after);
    expect(systemMessagesOf(model, after, 'keeper')).toHaveLength(1);
  }, 120_000);

  it('with embeddings the closest entry wins; keyword match alone picks the newest of a tie', async () => {
    const name = `embed-${kind}`;
    const embeddings = { model: 'scripted-embeddings', baseUrl: model.baseUrl };
    const deps = { store: backend.memory, embed: openAiEmbedder({ baseUrl: model.baseUrl }, {}), now: () => 1_000 };
    const scope = { team: name, scope: 'team' as const, key: name, top: 1, embeddings };
    const close = 'colour teal';
    const keywordOnly = 'quarterly budget report uses colour printing on glossy paper stock';
    await rememberText(deps, scope, 'older-close', close, 'test');
    await rememberText({ ...deps, now: () => 2_000 }, scope, 'newer-far', keywordOnly, 'test');

    const similar = await env.client.start(memoryTeam(name, 'asker', { top: 1, tools: false, embeddings }), 'Pick a colour.');
    await env.client.result(similar);
    expect(systemMessagesOf(model, similar, 'asker')[1]).toBe(note(close));

    const keywords = await env.client.start(memoryTeam(name, 'asker', { top: 1, tools: false }), 'Pick a colour.');
    await env.client.result(keywords);
    expect(systemMessagesOf(model, keywords, 'asker')[1]).toBe(note(keywordOnly));
  }, 120_000);
});
