import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ReplyStream } from '../../../src/model/reply-stream';

// Putting a reply together from chunks as gateways send them, which is not always as OpenAI does.

type Delta = ChatCompletionChunk['choices'][number]['delta'];
const chunk = (delta: Delta, finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('a reply from its chunks', () => {
  it('keeps a name or id sent again as it was, and takes calls without an index by their id', () => {
    const stream = new ReplyStream();
    const calls = [
      { id: 'a', type: 'function', function: { name: 'search', arguments: '{"q":' } },
      { id: 'a', function: { name: 'search', arguments: '"x"}' } },
      { id: 'b', type: 'function', function: { name: 'count', arguments: '' } },
      { function: { arguments: '{}' } },
    ] as unknown as NonNullable<Delta['tool_calls']>[number][];
    const pieces = calls.flatMap((call) => stream.add(chunk({ tool_calls: [call] })));
    stream.add(chunk({}, 'tool_calls'));
    expect(stream.problem()).toBeNull();
    expect(stream.reply('asked').toolCalls).toEqual([
      { id: 'a', name: 'search', arguments: '{"q":"x"}' },
      { id: 'b', name: 'count', arguments: '{}' },
    ]);
    expect(pieces).toEqual([
      { text: '{"q":', tool: 'search' },
      { text: '"x"}', tool: 'search' },
      { text: '{}', tool: 'count' },
    ]);
  });

  it('says what is missing: no choice at all, or no finish reason', () => {
    const empty = new ReplyStream();
    expect(empty.add({ ...chunk({}), choices: [], usage: { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 } })).toEqual([]);
    expect(empty.problem()).toBe('no-choice');
    const cut = new ReplyStream();
    cut.add(chunk({ content: 'Half' }));
    expect(cut.problem()).toBe('unfinished');
    expect(cut.reply('asked')).toEqual({ v: 1, content: 'Half', usage: null, model: 'm' });
  });
});
