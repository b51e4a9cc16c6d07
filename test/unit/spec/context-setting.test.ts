import { parseTeamText, team } from '../../../src/spec';
import { roundRobinYaml, specError } from './spec-helpers';

const S = 'teams/review.yaml';

describe('team file: context', () => {
  it('takes full, answers and none, and leaves it out by default (full)', () => {
    for (const setting of ['full', 'answers', 'none'] as const) {
      expect(parseTeamText(roundRobinYaml(`maxTurns: 2\ncontext: ${setting}\n`), S).context).toBe(setting);
    }
    expect(parseTeamText(roundRobinYaml('maxTurns: 2\n'), S).context).toBeUndefined();
  });

  it('refuses anything else, naming the field and what it takes', () => {
    expect(specError(roundRobinYaml('maxTurns: 2\ncontext: everything\n')).message).toBe(
      `${S}: context: expected "full", "answers" or "none"`,
    );
  });

  it('is set by the builder', () => {
    const spec = team('t').roundRobin().model({ model: 'm' }).agent('a', { description: 'A.' }).maxTurns(1).context('answers').build();
    expect(spec.context).toBe('answers');
  });
});
