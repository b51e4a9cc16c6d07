import { parseTeamText } from '../../../src/spec';
import { roundRobinYaml, selectorYaml, specError } from './spec-helpers';

const S = 'teams/review.yaml';

describe('agents: names and models', () => {
  it('names the duplicate agent by index and name', () => {
    const yaml = roundRobinYaml('maxTurns: 4\n')
      .replace('agents:\n', 'agents:\n  - { name: editor, description: Edits }\n')
      .replace('name: critic', 'name: writer');
    expect(specError(yaml).message).toBe(`${S}: agents[2].name: duplicate agent name "writer"`);
  });

  it.each(['user', 'selector'])('refuses the reserved name "%s"', (name) => {
    const err = specError(roundRobinYaml('maxTurns: 4\n').replace('name: writer', `name: ${name}`));
    expect(err.message).toBe(`${S}: agents[0].name: "${name}" is reserved; choose another name`);
  });

  it('refuses a name OpenAI would refuse, saying what a name may hold', () => {
    const err = specError(roundRobinYaml('maxTurns: 4\n').replace('name: writer', 'name: "the writer"'));
    expect(err.problems).toEqual([{ path: 'agents[0].name', message: expect.stringContaining('a letter then letters') }]);
  });

  it('asks for a model on every agent when the team has none', () => {
    const err = specError(roundRobinYaml('maxTurns: 4\n').replace('model: { model: gpt-4o-mini }\n', 'model: { temperature: 0 }\n'));
    expect(err.problems).toEqual([
      { path: 'agents[0].model', message: 'no model named: set it here or in the team\'s "model.model"' },
      { path: 'agents[1].model', message: 'no model named: set it here or in the team\'s "model.model"' },
    ]);
  });

  it('accepts a team with no team model when each agent names its own', () => {
    const yaml = roundRobinYaml('maxTurns: 4\n')
      .replace('model: { model: gpt-4o-mini }\n', '')
      .replace(/description: (\w+) the draft/g, 'description: $1, model: m');
    expect(parseTeamText(yaml, S).agents.map((a) => ('model' in a ? a.model : undefined))).toEqual(['m', 'm']);
  });

  it('needs at least one agent', () => {
    expect(specError('name: t\npattern: round_robin\nmodel: { model: m }\nagents: []\nmaxTurns: 1\n').problems).toEqual([
      { path: 'agents', message: 'a team needs at least one agent' },
    ]);
  });
});

describe('termination', () => {
  it('names an unknown agent in sources by its full path, even nested in any/all', () => {
    const err = specError(
      roundRobinYaml(`termination:
  type: all
  conditions:
    - { type: max_messages, max: 5 }
    - type: any
      conditions:
        - { type: source_match, sources: [critic, editor] }
        - { type: text_mention, text: OK, sources: [user] }
`),
    );
    expect(err.message).toBe(
      `${S}: termination.conditions[1].conditions[0].sources[1]: unknown agent "editor"; the agents are writer, critic (and "user")`,
    );
  });

  it('refuses an unknown condition type, listing the known ones', () => {
    const err = specError(roundRobinYaml('termination: { type: any, conditions: [ { type: max_message, max: 3 } ] }\n'));
    expect(err.problems).toEqual([
      { path: 'termination.conditions[0].type', message: expect.stringContaining('one of text_mention, max_messages') },
    ]);
  });

  it('needs at least one limit on token_usage', () => {
    expect(specError(roundRobinYaml('termination: { type: token_usage }\n')).message).toBe(
      `${S}: termination: set at least one of maxTotalTokens, maxPromptTokens, maxCompletionTokens`,
    );
  });

  it('refuses stop_message when no agent has a stopSignal', () => {
    const yaml = roundRobinYaml('termination: { type: any, conditions: [ { type: stop_message } ] }\n').replace(
      ', stopSignal: APPROVE',
      '',
    );
    expect(specError(yaml).message).toBe(
      `${S}: termination.conditions[0]: no agent has a "stopSignal", so no stop message can ever arrive`,
    );
  });

  it('refuses a team that would never stop', () => {
    expect(specError(roundRobinYaml('')).message).toBe(
      `${S}: termination: the team would never stop: add a termination condition or "maxTurns"`,
    );
  });

  it('refuses an empty any/all', () => {
    expect(specError(roundRobinYaml('termination: { type: all, conditions: [] }\n')).problems.map((p) => p.path)).toEqual([
      'termination.conditions',
    ]);
  });
});

describe('selector', () => {
  it('refuses a selector block on a round-robin team', () => {
    expect(specError(roundRobinYaml('maxTurns: 4\nselector: { maxAttempts: 2 }\n')).message).toBe(
      `${S}: selector: only the "selector" pattern uses this block; remove it or set pattern: selector`,
    );
  });

  it('needs at least two agents to select from', () => {
    const yaml = selectorYaml().replace(/ {2}- \{ name: (coder|tester).*\n/g, '');
    expect(specError(yaml).message).toBe(`${S}: agents: the selector pattern needs at least two agents`);
  });

  it('names unknown agents in transitions, as the speaker and as a target', () => {
    const err = specError(selectorYaml('maxTurns: 4\nselector:\n  transitions: { planner: [coder, reviewer], deployer: [tester] }\n'));
    expect(err.message.split('\n')).toEqual([
      `${S}: selector.transitions.planner[1]: unknown agent "reviewer"; the agents are planner, coder, tester`,
      `${S}: selector.transitions.deployer: unknown agent "deployer"; the agents are planner, coder, tester`,
    ]);
  });

  it('asks for a selector model when neither the team nor the selector names one', () => {
    const yaml = selectorYaml()
      .replace('model: { model: gpt-4o-mini }\n', '')
      .replace(/description: (.*) }/g, 'description: $1, model: m }');
    expect(specError(yaml).problems).toEqual([{ path: 'selector.model', message: expect.stringContaining('"selector.model"') }]);
  });

  it('bounds maxAttempts', () => {
    expect(specError(selectorYaml('maxTurns: 4\nselector: { maxAttempts: 0 }\n')).problems.map((p) => p.path)).toEqual([
      'selector.maxAttempts',
    ]);
  });
});

describe('durations and URLs', () => {
  const DURATION_HINT = 'expected a duration such as "500ms", "30s", "5m", "2h", "1d" or a number of milliseconds';

  it.each([['"5 minutes"'], ['-1'], ['"ten"'], ['"5"']])('refuses %s with one message that shows the format', (value) => {
    expect(specError(roundRobinYaml(`termination: { type: timeout, after: ${value} }\n`)).message).toBe(
      `${S}: termination.after: ${DURATION_HINT}`,
    );
  });

  it.each([['"0s"'], ['0']])('refuses a zero duration %s where time must pass', (value) => {
    expect(specError(roundRobinYaml(`termination: { type: timeout, after: ${value} }\n`)).message).toBe(
      `${S}: termination.after: must be longer than zero`,
    );
  });

  it('checks the durations in retry and timeouts blocks by path', () => {
    const yaml = roundRobinYaml('maxTurns: 2\n').replace(
      'stopSignal: APPROVE',
      'stopSignal: APPROVE, retry: { initialInterval: 1 minute }, timeouts: { heartbeat: "0ms" }',
    );
    expect(specError(yaml).problems).toEqual([
      { path: 'agents[1].retry.initialInterval', message: DURATION_HINT },
      { path: 'agents[1].timeouts.heartbeat', message: 'must be longer than zero' },
    ]);
  });

  it.each(['ftp://models.example.com/v1', 'localhost:11434', 'not a url'])('refuses baseUrl %s with an example', (url) => {
    const yaml = roundRobinYaml('maxTurns: 2\n').replace('model: gpt-4o-mini', `model: gpt-4o-mini, baseUrl: "${url}"`);
    expect(specError(yaml).message).toBe(`${S}: model.baseUrl: expected an http(s) URL such as "http://127.0.0.1:11434/v1"`);
  });
});
