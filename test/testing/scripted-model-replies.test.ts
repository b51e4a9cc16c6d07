import { ask, content, conversation, failure, start } from './scripted-model-helpers';

// Which reply a request gets: chosen from the request alone, so retries are answered alike.

describe('reply choice', () => {
  it('answers an agent by the number of its own (assistant) messages, the same request always alike', async () => {
    const server = await start({ agents: { writer: ['Draft 1', 'Draft 2', 'Draft 3'] } });
    expect(await content(server, conversation(0), { agent: 'writer' })).toBe('Draft 1');
    expect(await content(server, conversation(1), { agent: 'writer' })).toBe('Draft 2');
    expect(await content(server, conversation(2), { agent: 'writer' })).toBe('Draft 3');
    // A retried call (same request) gets the same reply, whatever was served in between.
    const first = await ask(server, conversation(1), { agent: 'writer' });
    const again = await ask(server, conversation(1), { agent: 'writer' });
    expect(again.choices[0]!.message.content).toBe('Draft 2');
    expect(again.id).toBe(first.id);
    expect(first.object).toBe('chat.completion');
    expect(first.choices[0]!.finish_reason).toBe('stop');
    expect(first.choices[0]!.message.role).toBe('assistant');
  });

  it('routes by the agent header, then by the model, then to default', async () => {
    const server = await start({
      agents: { researcher: { replies: ['Facts'] }, writer: ['Draft'] },
      default: ['Default reply'],
    });
    expect(await content(server, conversation(0), { agent: 'researcher' })).toBe('Facts');
    expect(await content(server, conversation(0), { agent: 'writer', model: 'researcher' })).toBe('Draft');
    expect(await content(server, conversation(0), { model: 'writer' })).toBe('Draft');
    expect(await content(server, conversation(0), { agent: 'critic' })).toBe('Default reply');
    expect(await content(server, conversation(0), { model: 'gpt-4o' })).toBe('Default reply');
    expect(server.requests.map((r) => [r.agent, r.route])).toEqual([
      ['researcher', 'agent'],
      ['writer', 'agent'],
      ['writer', 'agent'],
      ['critic', 'default'],
      [null, 'default'],
    ]);
  });

  it('answers 404 for an unknown agent when the script has no default', async () => {
    const server = await start({ agents: { writer: ['Draft'] } });
    const err = await failure(ask(server, conversation(0), { agent: 'critic' }));
    expect(err.status).toBe(404);
    expect(err.message).toContain('"critic"');
  });

  it('answers speaker selection by turn, and within a turn by attempt', async () => {
    const server = await start({
      agents: { writer: ['Draft'] },
      selector: ['writer', ['nobody', 'reviewer']],
    });
    const select = (turn: number | undefined, attempt: number) =>
      content(server, conversation(attempt), { agent: 'selector', ...(turn !== undefined ? { turn } : {}) });
    expect(await select(0, 0)).toBe('writer');
    expect(await select(0, 3)).toBe('writer');
    expect(await select(undefined, 0)).toBe('writer');
    expect(await select(1, 0)).toBe('nobody');
    expect(await select(1, 1)).toBe('reviewer');
    expect(await select(1, 7)).toBe('reviewer');
    const last = server.requests.at(-1)!;
    expect([last.agent, last.route, last.turn, last.replyIndex, last.attempt]).toEqual(['selector', 'selector', 1, 1, 7]);
  });
});

describe('onExhausted', () => {
  it('cycle starts the list again (the default)', async () => {
    const server = await start({ agents: { writer: ['A', 'B'] }, selector: ['writer', 'critic'] });
    expect(await content(server, conversation(2), { agent: 'writer' })).toBe('A');
    expect(await content(server, conversation(5), { agent: 'writer' })).toBe('B');
    expect(await content(server, conversation(0), { agent: 'selector', turn: 2 })).toBe('writer');
  });

  it('repeat-last keeps giving the last reply', async () => {
    const server = await start({ onExhausted: 'repeat-last', agents: { writer: ['A', 'B'] } });
    expect(await content(server, conversation(2), { agent: 'writer' })).toBe('B');
    expect(await content(server, conversation(9), { agent: 'writer' })).toBe('B');
  });

  it('error answers 500 naming the agent and the index', async () => {
    const server = await start({ onExhausted: 'error', agents: { writer: ['A', 'B'] }, selector: ['writer'] });
    const err = await failure(ask(server, conversation(2), { agent: 'writer' }));
    expect(err.status).toBe(500);
    expect(err.code).toBe('script_exhausted');
    expect(err.message).toMatch(/agent "writer" has no reply at index 2/);
    const selectorErr = await failure(ask(server, conversation(0), { agent: 'selector', turn: 1 }));
    expect(selectorErr.status).toBe(500);
    expect(selectorErr.message).toContain('turn 1');
  });
});
