import { parseTeamSpec } from '../../../src/spec/parse';
import { SpecError } from '../../../src/spec/errors';
import { entriesToSend, remoteTurnRequest } from '../../../src/core/request-builders';
import { createRunState } from '../../../src/core/state';
import { maxMessages, team } from '../../../src/spec';

const teamWith = (remote: Record<string, unknown>) => ({
  name: 't',
  pattern: 'round_robin',
  model: { model: 'm' },
  agents: [
    { name: 'local', description: 'Local.' },
    { name: 'far', kind: 'a2a', description: 'Far away.', card: 'http://agents.example.com/.well-known/agent-card.json', ...remote },
  ],
  termination: { type: 'max_messages', max: 4 },
});

const errorOf = (data: unknown): string => {
  try {
    parseTeamSpec(data, 'team.json');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as Error).message;
  }
  throw new Error('the spec was accepted');
};

describe('remote A2A agents in a team spec', () => {
  it('accept a card URL and take no model', () => {
    const spec = parseTeamSpec(
      teamWith({ skill: 'review', send: 'last', auth: { bearerEnv: 'FAR_TOKEN' }, pollInterval: '1s' }),
      'team.json',
    );
    expect(spec.agents[1]).toMatchObject({
      kind: 'a2a',
      card: 'http://agents.example.com/.well-known/agent-card.json',
      auth: { bearerEnv: 'FAR_TOKEN' },
    });
  });

  it('refuse what would leak or break, naming the field', () => {
    expect(errorOf(teamWith({ card: 'ftp://x/card' }))).toMatch(/agents\[1\]\.card: expected the http\(s\) URL of an agent card/);
    expect(errorOf(teamWith({ auth: { bearerEnv: 'sk-live-1234 5678' } }))).toMatch(
      /agents\[1\]\.auth\.bearerEnv: expected the NAME of an environment variable/,
    );
    expect(errorOf(teamWith({ auth: { bearerEnv: 'sk-live-1234 5678' } }))).not.toContain('sk-live');
    expect(errorOf(teamWith({ model: 'gpt' }))).toMatch(/agents\[1\]: unknown field "model"/);
    expect(errorOf(teamWith({ send: 'everything' }))).toMatch(/agents\[1\]\.send/);
  });

  it('turn into a request with a message id stable for the run, turn and agent', () => {
    const spec = team('t')
      .roundRobin()
      .model({ model: 'm' })
      .agent('local', { description: 'L.' })
      .remote('far', { description: 'F.', card: 'http://agents.example.com/card', send: 'last' })
      .terminateWhen(maxMessages(4))
      .build();
    const state = createRunState({ runId: 'run-1', team: spec, task: 'Go.', now: 0 });
    const request = remoteTurnRequest(state, spec.agents[1] as Parameters<typeof remoteTurnRequest>[1]);
    expect(request).toMatchObject({
      messageId: 'run-1/turn-0/far',
      contextId: 'run-1/far',
      send: 'last',
      conversation: { runId: 'run-1', count: 1 },
    });
    expect(request.messages).toBeUndefined();
    // What the activity sends, read from the store (here, the records the request carries).
    expect(entriesToSend(request.conversation!.unstored, request.send)).toEqual([{ source: 'user', content: 'Go.' }]);
    expect(request.agent).toMatchObject({ card: 'http://agents.example.com/card', pollIntervalMs: 500, allowHosts: null, auth: null });
    expect(remoteTurnRequest(state, spec.agents[1] as Parameters<typeof remoteTurnRequest>[1])).toEqual(request);
  });

  const INLINE_CARD = {
    name: 'Reviewers',
    description: 'Reviews drafts.',
    version: '1.0.0',
    supportedInterfaces: [{ url: 'http://agents.example.com/a2a/jsonrpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming: true },
    skills: [{ id: 'review', name: 'Review', description: 'Reviews a draft.', tags: [] }],
  };

  it('take the card itself inline, checked as a fetched card is; the request carries it and names its endpoint', () => {
    const spec = parseTeamSpec(teamWith({ card: INLINE_CARD }), 'team.json');
    expect(spec.agents[1]).toMatchObject({ kind: 'a2a', card: INLINE_CARD });
    const state = createRunState({ runId: 'run-1', team: spec, task: 'Go.', now: 0 });
    const request = remoteTurnRequest(state, spec.agents[1] as Parameters<typeof remoteTurnRequest>[1]);
    expect(request.agent).toMatchObject({ card: 'http://agents.example.com/a2a/jsonrpc', inlineCard: INLINE_CARD });
  });

  it('refuse an inline card that is not one, naming the field inside it', () => {
    const noUrl = { ...INLINE_CARD, supportedInterfaces: [{ url: 'not a url', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }] };
    expect(errorOf(teamWith({ card: noUrl }))).toMatch(/agents\[1\]\.card: not an agent card: supportedInterfaces\[0\]\.url: /);
    expect(errorOf(teamWith({ card: { name: 'x' } }))).toMatch(
      /agents\[1\]\.card: not an agent card: neither supportedInterfaces \(A2A v1\.0\) nor url \(v0\.3\)/,
    );
    expect(errorOf(teamWith({ card: 42 }))).toMatch(/agents\[1\]\.card: expected the http\(s\) URL of an agent card, or the card itself/);
  });
});
