import OpenAI from 'openai';
import { cosine } from '../../src/memory/retrieval';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';

/** The scripted server's /v1/embeddings through the real `openai` client: deterministic, close for shared words. */
describe('the scripted model server serves embeddings', () => {
  let server: ScriptedModelServer;
  beforeAll(async () => {
    server = await startScriptedModelServer({ script: { agents: { writer: ['hi'] } }, apiKey: 'k' });
  });
  afterAll(() => server.close());

  it('answers embeddings.create in order, the same vectors every time, and 401 without the key', async () => {
    const client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'k', maxRetries: 0 });
    const texts = ['invoice header colour', 'header colour of the invoice', 'lunch at noon'];
    const first = await client.embeddings.create({ model: 'any', input: texts, encoding_format: 'float' });
    const again = await client.embeddings.create({ model: 'any', input: texts, encoding_format: 'float' });
    expect(first.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(again.data.map((d) => d.embedding)).toEqual(first.data.map((d) => d.embedding));
    const [a, b, c] = first.data.map((d) => d.embedding) as [number[], number[], number[]];
    expect(cosine(a, b)).toBeGreaterThan(0.7);
    expect(cosine(a, c)).toBe(0);
    expect(first.usage.prompt_tokens).toBe(11); // words, as a stand-in for tokens
    const stranger = new OpenAI({ baseURL: server.baseUrl, apiKey: 'wrong', maxRetries: 0 });
    await expect(stranger.embeddings.create({ model: 'any', input: 'x' })).rejects.toMatchObject({ status: 401 });
  });
});
