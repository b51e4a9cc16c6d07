import { movesToNewBuilds, parseTeamText } from '../../../src/spec';
import { roundRobinYaml, specError } from './spec-helpers';

const S = 'teams/review.yaml';

describe('team file: deploys', () => {
  it('moves runs to a new build at safe points unless the team says never', () => {
    expect(movesToNewBuilds(parseTeamText(roundRobinYaml('maxTurns: 2\n'), S).deploys)).toBe(true);
    expect(movesToNewBuilds(parseTeamText(roundRobinYaml('maxTurns: 2\ndeploys: { move: at-safe-points }\n'), S).deploys)).toBe(true);
    const pinned = parseTeamText(roundRobinYaml('maxTurns: 2\ndeploys: { move: never }\n'), S);
    expect(pinned.deploys).toEqual({ move: 'never' });
    expect(movesToNewBuilds(pinned.deploys)).toBe(false);
  });

  it('refuses another value or field, naming it', () => {
    expect(specError(roundRobinYaml('maxTurns: 2\ndeploys: { move: always }\n')).message).toBe(
      `${S}: deploys.move: expected "at-safe-points" or "never"`,
    );
    expect(specError(roundRobinYaml('maxTurns: 2\ndeploys: { moves: never }\n')).message).toMatch(
      /^teams\/review.yaml: deploys: unknown field "moves"/,
    );
  });
});
