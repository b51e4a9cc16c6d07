import { parseDataText, parseTeamSpec, parseTeamText, type TeamSpec } from '../../../src/spec';

const ROUND_ROBIN_YAML = `
version: 1
name: review-team
description: Writes and reviews a short text
tags: [writing, review]
examples: ["Write a haiku about otters"]
pattern: round_robin
model:
  model: gpt-4o-mini
  baseUrl: http://127.0.0.1:11434/v1
  apiKeyEnv: OPENAI_API_KEY
agents:
  - name: writer
    description: Writes the draft
    temperature: 0.7
    maxTokens: 400
  - name: critic
    description: Reviews the draft
    systemMessage: You are a strict critic.
    stopSignal: APPROVE
    retry: { initialInterval: 2s, backoffCoefficient: 1.5, maximumAttempts: 0, nonRetryableErrorTypes: [Bad] }
    timeouts: { startToClose: 2m, heartbeat: 10000 }
termination:
  type: any
  conditions:
    - { type: stop_message }
    - { type: max_messages, max: 12 }
    - { type: timeout, after: 10m }
maxTurns: 20
`;

const ROUND_ROBIN: TeamSpec = {
  version: 1,
  name: 'review-team',
  description: 'Writes and reviews a short text',
  tags: ['writing', 'review'],
  examples: ['Write a haiku about otters'],
  pattern: 'round_robin',
  model: { model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:11434/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  agents: [
    { name: 'writer', description: 'Writes the draft', temperature: 0.7, maxTokens: 400 },
    {
      name: 'critic',
      description: 'Reviews the draft',
      systemMessage: 'You are a strict critic.',
      stopSignal: 'APPROVE',
      retry: { initialInterval: '2s', backoffCoefficient: 1.5, maximumAttempts: 0, nonRetryableErrorTypes: ['Bad'] },
      timeouts: { startToClose: '2m', heartbeat: 10000 },
    },
  ],
  termination: {
    type: 'any',
    conditions: [{ type: 'stop_message' }, { type: 'max_messages', max: 12 }, { type: 'timeout', after: '10m' }],
  },
  maxTurns: 20,
};

const SELECTOR_YAML = `
name: build-team
pattern: selector
model: { model: gpt-4o-mini }
agents:
  - { name: planner, description: Plans the work }
  - { name: coder, description: Writes the code, model: gpt-4o }
  - { name: tester, description: Tests the code }
selector:
  model: small-model
  prompt: "Pick one of {participants}.\\n{roles}\\n{history}"
  allowRepeatedSpeaker: true
  maxAttempts: 2
  transitions:
    planner: [coder]
    coder: [tester, planner]
termination:
  type: all
  conditions:
    - { type: text_mention, text: DONE, sources: [tester] }
    - { type: token_usage, maxTotalTokens: 50000 }
`;

const SELECTOR: TeamSpec = {
  name: 'build-team',
  pattern: 'selector',
  model: { model: 'gpt-4o-mini' },
  agents: [
    { name: 'planner', description: 'Plans the work' },
    { name: 'coder', description: 'Writes the code', model: 'gpt-4o' },
    { name: 'tester', description: 'Tests the code' },
  ],
  selector: {
    model: 'small-model',
    prompt: 'Pick one of {participants}.\n{roles}\n{history}',
    allowRepeatedSpeaker: true,
    maxAttempts: 2,
    transitions: { planner: ['coder'], coder: ['tester', 'planner'] },
  },
  termination: {
    type: 'all',
    conditions: [
      { type: 'text_mention', text: 'DONE', sources: ['tester'] },
      { type: 'token_usage', maxTotalTokens: 50000 },
    ],
  },
};

describe('parseTeamText on valid team files', () => {
  it('parses a round-robin YAML team to exactly the data written (durations kept as written)', () => {
    expect(parseTeamText(ROUND_ROBIN_YAML, 'teams/review.yaml')).toStrictEqual(ROUND_ROBIN);
  });

  it('parses a selector YAML team with its selector block, transitions and nested termination', () => {
    expect(parseTeamText(SELECTOR_YAML, 'teams/build.yml')).toStrictEqual(SELECTOR);
  });

  it('parses the same teams written as JSON files', () => {
    expect(parseTeamText(JSON.stringify(ROUND_ROBIN, null, 2), 'teams/review.json')).toStrictEqual(ROUND_ROBIN);
    expect(parseTeamText(JSON.stringify(SELECTOR), 'teams/BUILD.JSON')).toStrictEqual(SELECTOR);
  });

  it('reads JSON text in a .yaml file through YAML (a superset of JSON)', () => {
    expect(parseTeamText(JSON.stringify(SELECTOR), 'teams/build.yaml')).toStrictEqual(SELECTOR);
  });

  it('adds no keys the file did not have (no undefined fields to bloat the workflow input)', () => {
    const minimal = parseTeamText(
      'name: t\npattern: round_robin\nagents: [{ name: a, description: A, model: m }]\nmaxTurns: 1\n',
      't.yaml',
    );
    expect(Object.keys(minimal).sort()).toEqual(['agents', 'maxTurns', 'name', 'pattern']);
    expect(Object.keys(minimal.agents[0]!).sort()).toEqual(['description', 'model', 'name']);
  });
});

describe('parseTeamSpec and parseDataText', () => {
  it('validates data that did not come from a file, naming "team" by default', () => {
    expect(parseTeamSpec(structuredClone(ROUND_ROBIN))).toStrictEqual(ROUND_ROBIN);
    expect(() => parseTeamSpec({ ...ROUND_ROBIN, maxTurns: 0 })).toThrow(/^team: maxTurns: /);
  });

  it('returns plain data for YAML and JSON without validating it as a team', () => {
    expect(parseDataText('a: [1, 2]\nb: { c: true }\n', 'x.yaml')).toEqual({ a: [1, 2], b: { c: true } });
    expect(parseDataText('{"a": [1, 2]}', 'x.json')).toEqual({ a: [1, 2] });
  });
});
