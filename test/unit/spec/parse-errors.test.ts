import { SpecError } from '../../../src/spec';
import { roundRobinYaml, selectorYaml, specError } from './spec-helpers';

const PASTED_KEY = 'sk-live-4f9a8b7c6d5e4f3a2b1c';

describe('syntax errors name the file and where in it', () => {
  it('gives the line and column of a YAML syntax error', () => {
    const err = specError('name: review\nagents:\n  - name: writer\n     description: oops\n');
    expect(err).toBeInstanceOf(SpecError);
    expect(err.source).toBe('teams/review.yaml');
    expect(err.message).toBe('teams/review.yaml: not valid YAML: line 3, column 11: Nested mappings are not allowed in compact mappings');
  });

  it('gives the line of a duplicate key in YAML', () => {
    expect(specError('name: review\npattern: round_robin\nname: again\n').message).toMatch(
      /^teams\/review\.yaml: not valid YAML: line 3, column 1: .*unique/,
    );
  });

  it("reports invalid JSON in a .json file with the parser's reason", () => {
    const err = specError('{"name": "review",, }', 'teams/review.json');
    expect(err.message).toMatch(/^teams\/review\.json: not valid JSON: \S/);
    expect(err.problems).toEqual([{ path: '', message: expect.stringMatching(/^not valid JSON: /) }]);
  });

  it('does not echo the text around a JSON syntax error, which may hold a pasted key', () => {
    const err = specError(`{"name": "review", "model": {"apiKey": ${PASTED_KEY}}}`, 'teams/review.json');
    expect(err.message).toMatch(/^teams\/review\.json: not valid JSON: /);
    expect(err.message).not.toContain('sk-live');
  });

  it.each([
    ['an empty YAML file', '', 'teams/review.yaml'],
    ['a YAML file of blank lines', '\n  \n', 'teams/review.yaml'],
    ['a YAML file of comments only', '# to do\n', 'teams/review.yaml'],
    ['an empty JSON file', '', 'teams/review.json'],
    ['a JSON file of whitespace', ' \n', 'teams/review.json'],
  ])('says %s is empty and where to find an example', (_, text, source) => {
    expect(specError(text, source).message).toBe(`${source}: the file is empty; see examples/teams for a team file`);
  });

  it('tells a value of the wrong type from a missing one', () => {
    expect(specError(roundRobinYaml('maxTurns: three\n')).problems).toEqual([
      { path: 'maxTurns', message: expect.stringMatching(/expected number, received string/) },
    ]);
    expect(specError('name: t\npattern: round_robin\nmaxTurns: 2\n').problems).toEqual([
      { path: 'agents', message: 'missing; expected array' },
    ]);
    expect(specError('- just\n- a list\n').problems).toEqual([
      { path: '', message: expect.stringMatching(/expected object, received array/) },
    ]);
  });
});

describe('unknown fields are refused with a hint', () => {
  it('suggests the field a misspelt name was meant to be, at the object that holds it', () => {
    const err = specError(roundRobinYaml('maxTurns: 4\n').replace('stopSignal', 'stopSignl'));
    expect(err.message).toBe('teams/review.yaml: agents[1]: unknown field "stopSignl" (did you mean "stopSignal"?)');
  });

  it('suggests nothing when no field is close', () => {
    expect(specError(roundRobinYaml('maxTurns: 4\ncolour: blue\n')).message).toBe('teams/review.yaml: unknown field "colour"');
  });

  it('does not suggest the same name when the field belongs in another block', () => {
    // `retry` is an agent field, not a team field.
    expect(specError(roundRobinYaml('maxTurns: 4\nretry: {}\n')).message).toBe('teams/review.yaml: unknown field "retry"');
  });

  it('finds misspellings at any depth, including inside termination conditions', () => {
    const err = specError(roundRobinYaml('termination: { type: any, conditions: [ { type: max_messages, max: 3, maxx: 4 } ] }\n'));
    expect(err.problems).toEqual([{ path: 'termination.conditions[0]', message: 'unknown field "maxx" (did you mean "max"?)' }]);
  });
});

describe('secrets never go in a team file', () => {
  it.each(['apiKey', 'api_key', 'token', 'password'])('refuses a "%s" field and says to use apiKeyEnv', (field) => {
    const err = specError(roundRobinYaml(`maxTurns: 4\n`).replace('model: gpt-4o-mini', `model: gpt-4o-mini, ${field}: ${PASTED_KEY}`));
    expect(err.problems).toEqual([{ path: 'model', message: expect.stringContaining(`"${field}" is not allowed`) }]);
    expect(err.message).toContain('apiKeyEnv');
    expect(err.message).not.toContain(PASTED_KEY);
  });

  it('refuses a key pasted into apiKeyEnv without repeating it', () => {
    const err = specError(roundRobinYaml('maxTurns: 4\n').replace('model: gpt-4o-mini', `model: gpt-4o-mini, apiKeyEnv: ${PASTED_KEY}`));
    expect(err.problems).toEqual([{ path: 'model.apiKeyEnv', message: expect.stringContaining('the name of an environment variable') }]);
    expect(err.message).not.toContain(PASTED_KEY);
    expect(JSON.stringify(err.problems)).not.toContain(PASTED_KEY);
  });

  it('refuses an apiKeyEnv on an agent or the selector the same way', () => {
    const err = specError(
      roundRobinYaml('maxTurns: 4\n').replace('description: Writes the draft', `description: W, apiKeyEnv: "${PASTED_KEY}"`),
    );
    expect(err.problems.map((p) => p.path)).toEqual(['agents[0].apiKeyEnv']);
    expect(err.message).not.toContain(PASTED_KEY);
    const onSelector = specError(selectorYaml(`maxTurns: 4\nselector: { apiKeyEnv: "${PASTED_KEY}" }\n`));
    expect(onSelector.problems.map((p) => p.path)).toEqual(['selector.apiKeyEnv']);
    expect(onSelector.message).not.toContain(PASTED_KEY);
  });
});
