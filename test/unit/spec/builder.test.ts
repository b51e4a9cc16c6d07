import {
  allOf,
  anyOf,
  external,
  maxMessages,
  parseTeamText,
  sourceMatch,
  SpecError,
  stopMessage,
  team,
  textMention,
  timeout,
  tokenUsage,
} from '../../../src/spec';
import { specError, thrownSpecError } from './spec-helpers';

describe('team(...).build() gives the data the same team file gives', () => {
  it('round robin, with every termination constructor', () => {
    const built = team('review')
      .describe('Writes and reviews')
      .roundRobin()
      .model({ model: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY' })
      .agent('writer', { description: 'Writes the draft', temperature: 0.5 })
      .agent('critic', { description: 'Reviews the draft', stopSignal: 'APPROVE', retry: { maximumAttempts: 3 } })
      .terminateWhen(
        anyOf(
          textMention('APPROVED', { sources: ['critic'] }),
          textMention('DONE'),
          maxMessages(12),
          stopMessage(),
          sourceMatch('critic', 'user'),
          tokenUsage({ maxTotalTokens: 1000, maxCompletionTokens: 400 }),
          timeout('10m'),
          allOf(external(), maxMessages(2)),
        ),
      )
      .maxTurns(8)
      .build();
    const parsed = parseTeamText(
      `
name: review
description: Writes and reviews
pattern: round_robin
model: { model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY }
agents:
  - { name: writer, description: Writes the draft, temperature: 0.5 }
  - { name: critic, description: Reviews the draft, stopSignal: APPROVE, retry: { maximumAttempts: 3 } }
termination:
  type: any
  conditions:
    - { type: text_mention, text: APPROVED, sources: [critic] }
    - { type: text_mention, text: DONE }
    - { type: max_messages, max: 12 }
    - { type: stop_message }
    - { type: source_match, sources: [critic, user] }
    - { type: token_usage, maxTotalTokens: 1000, maxCompletionTokens: 400 }
    - { type: timeout, after: 10m }
    - { type: all, conditions: [ { type: external }, { type: max_messages, max: 2 } ] }
maxTurns: 8
`,
      'review.yaml',
    );
    expect(built).toStrictEqual(parsed);
  });

  it('selector, with its options', () => {
    const built = team('build')
      .selector({ allowRepeatedSpeaker: true, transitions: { planner: ['coder'] }, model: 'small' })
      .model({ model: 'gpt-4o-mini' })
      .agent('planner', { description: 'Plans' })
      .agent('coder', { description: 'Codes' })
      .maxTurns(5)
      .build();
    const parsed = parseTeamText(
      `
name: build
pattern: selector
selector: { allowRepeatedSpeaker: true, transitions: { planner: [coder] }, model: small }
model: { model: gpt-4o-mini }
agents:
  - { name: planner, description: Plans }
  - { name: coder, description: Codes }
maxTurns: 5
`,
      'build.yaml',
    );
    expect(built).toStrictEqual(parsed);
  });

  it('gives data the builder no longer shares: each build is a separate copy', () => {
    const builder = team('t').model({ model: 'm' }).agent('a', { description: 'A' }).maxTurns(1);
    const first = builder.build();
    first.agents[0]!.description = 'changed';
    expect(builder.build().agents[0]!.description).toBe('A');
  });
});

describe('team(...).build() fails the way a team file fails', () => {
  it('throws a SpecError naming the builder and the same problems as the file', () => {
    const fromBuilder = thrownSpecError(() =>
      team('review')
        .model({ model: 'm' })
        .agent('writer', { description: 'W' })
        .agent('critic', { description: 'C' })
        .agent('writer', { description: 'W again' })
        .terminateWhen(textMention('OK', { sources: ['editor'] }))
        .build(),
    );
    const fromFile = specError(`
name: review
pattern: round_robin
model: { model: m }
agents:
  - { name: writer, description: W }
  - { name: critic, description: C }
  - { name: writer, description: W again }
termination: { type: text_mention, text: OK, sources: [editor] }
`);
    expect(fromBuilder).toBeInstanceOf(SpecError);
    expect(fromBuilder.source).toBe('team "review" (builder)');
    expect(fromBuilder.problems).toEqual(fromFile.problems);
    expect(fromBuilder.message).toContain('team "review" (builder): agents[2].name: duplicate agent name "writer"');
  });

  it('names the source passed to build()', () => {
    const err = thrownSpecError(() => team('t').model({ model: 'm' }).agent('a', { description: 'A' }).build('my-team'));
    expect(err.message).toBe('my-team: termination: the team would never stop: add a termination condition or "maxTurns"');
  });

  it('refuses a selector block left on a team switched back to round robin', () => {
    const err = thrownSpecError(() =>
      team('t').selector().roundRobin().model({ model: 'm' }).agent('a', { description: 'A' }).maxTurns(2).build(),
    );
    expect(err.problems.map((p) => p.path)).toEqual(['selector']);
  });

  it('refuses a bad team name', () => {
    const err = thrownSpecError(() => team('my team!').model({ model: 'm' }).agent('a', { description: 'A' }).maxTurns(1).build());
    expect(err.problems).toEqual([{ path: 'name', message: expect.stringContaining('e.g. "review-team"') }]);
  });
});

describe('condition constructors', () => {
  it('leave out what was not given', () => {
    expect(textMention('X')).toStrictEqual({ type: 'text_mention', text: 'X' });
    expect(tokenUsage({ maxPromptTokens: 5 })).toStrictEqual({ type: 'token_usage', maxPromptTokens: 5 });
  });
});
