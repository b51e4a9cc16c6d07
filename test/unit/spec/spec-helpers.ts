import { parseTeamText, SpecError } from '../../../src/spec';

/** The SpecError that parsing `text` as `source` throws; fails the test when it parses. */
export function specError(text: string, source = 'teams/review.yaml'): SpecError {
  try {
    parseTeamText(text, source);
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error(`expected ${source} to be refused`);
}

/** The SpecError that `build` throws. */
export function thrownSpecError(build: () => unknown): SpecError {
  try {
    build();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected a SpecError');
}

/** A valid round-robin team in YAML, with `extra` lines appended at the top level. */
export function roundRobinYaml(extra = 'maxTurns: 6\n'): string {
  return `name: review
pattern: round_robin
model: { model: gpt-4o-mini }
agents:
  - { name: writer, description: Writes the draft }
  - { name: critic, description: Reviews the draft, stopSignal: APPROVE }
${extra}`;
}

/** A valid selector team in YAML, with `extra` lines appended at the top level. */
export function selectorYaml(extra = 'maxTurns: 6\n'): string {
  return `name: build
pattern: selector
model: { model: gpt-4o-mini }
agents:
  - { name: planner, description: Plans the work }
  - { name: coder, description: Writes the code }
  - { name: tester, description: Tests the code }
${extra}`;
}
