import { parseTeamText, team } from '../../../src/spec';
import { roundRobinYaml, specError } from './spec-helpers';

const S = 'teams/review.yaml';

describe('team file: a2a options', () => {
  it('takes `a2a: { reply: message }` and `reply: task`, and leaves it out by default', () => {
    expect(parseTeamText(roundRobinYaml('maxTurns: 2\na2a: { reply: message }\n'), S).a2a).toEqual({ reply: 'message' });
    expect(parseTeamText(roundRobinYaml('maxTurns: 2\na2a: { reply: task }\n'), S).a2a).toEqual({ reply: 'task' });
    expect(parseTeamText(roundRobinYaml('maxTurns: 2\n'), S).a2a).toBeUndefined();
  });

  it('refuses another reply, saying which are taken', () => {
    expect(specError(roundRobinYaml('maxTurns: 2\na2a: { reply: artifact }\n')).message).toBe(
      `${S}: a2a.reply: expected "task" or "message"`,
    );
  });

  it('hints at a misspelt field, inside the block and at the top', () => {
    expect(specError(roundRobinYaml('maxTurns: 2\na2a: { replay: message }\n')).message).toBe(
      `${S}: a2a: unknown field "replay" (did you mean "reply"?)`,
    );
    expect(specError(roundRobinYaml('maxTurns: 2\na2: { reply: message }\n')).message).toBe(
      `${S}: unknown field "a2" (did you mean "a2a"?)`,
    );
  });

  it('is set by the builder', () => {
    const spec = team('t')
      .roundRobin()
      .model({ model: 'm' })
      .agent('a', { description: 'Answers.' })
      .maxTurns(1)
      .a2a({ reply: 'message' })
      .build();
    expect(spec.a2a).toEqual({ reply: 'message' });
  });
});
