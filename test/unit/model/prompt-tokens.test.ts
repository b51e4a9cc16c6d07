import { encodingFor, promptTokens, textTokens } from '../../../src/model/prompt-tokens';

describe('prompt tokens, counted before a model call', () => {
  it("counts text as tiktoken does (the counts in OpenAI's cookbook)", () => {
    // "tiktoken is great!" is 6 tokens in cl100k_base and 6 in o200k_base (How to count tokens with tiktoken).
    expect(textTokens('tiktoken is great!', 'gpt-4')).toBe(6);
    expect(textTokens('tiktoken is great!', 'gpt-4o')).toBe(6);
    expect(textTokens('', 'gpt-4o')).toBe(0);
  });

  it('chooses the encoding by model family, o200k for names it does not know', () => {
    expect(encodingFor('gpt-4')).toBe('cl100k_base');
    expect(encodingFor('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(encodingFor('openai/gpt-4-turbo')).toBe('cl100k_base');
    expect(encodingFor('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingFor('gpt-4.1')).toBe('o200k_base');
    expect(encodingFor('o3')).toBe('o200k_base');
    expect(encodingFor('llama3')).toBe('o200k_base');
  });

  it('adds 3 a message, 1 for a name and 3 to prime the reply, as the cookbook does', () => {
    expect(promptTokens([{ role: 'user', content: 'tiktoken is great!' }], 'gpt-4')).toBe(12);
    expect(promptTokens([{ role: 'user', content: 'tiktoken is great!', name: 'ana' }], 'gpt-4')).toBe(12 + 1 + textTokens('ana', 'gpt-4'));
    const twice = promptTokens(
      [
        { role: 'system', content: 'tiktoken is great!' },
        { role: 'user', content: 'tiktoken is great!' },
      ],
      'gpt-4',
    );
    expect(twice).toBe(3 + 2 * (3 + 6));
  });

  it('counts tool calls, content parts and offered tools', () => {
    const call = { id: 'c1', type: 'function' as const, function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } };
    const withCall = promptTokens([{ role: 'assistant', content: null, tool_calls: [call] }], 'gpt-4o');
    expect(withCall).toBe(3 + 3 + 3 + textTokens('get_weather', 'gpt-4o') + textTokens('{"city":"Oslo"}', 'gpt-4o'));
    const parts = promptTokens([{ role: 'user', content: [{ type: 'text', text: 'tiktoken is great!' }] }], 'gpt-4');
    expect(parts).toBe(12);
    const tools = [{ name: 'get_weather', description: 'The weather.', parameters: { type: 'object' } }];
    expect(promptTokens([], 'gpt-4o', tools)).toBeGreaterThan(3 + 12);
  });
});
