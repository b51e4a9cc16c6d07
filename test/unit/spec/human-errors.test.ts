import { team } from '../../../src/spec';
import { specError, thrownSpecError } from './spec-helpers';

const S = 'teams/review.yaml';
const PASTED_TOKEN = 'xoxb-4f9a8b7c-6d5e4f3a2b1c';

/** A valid team of a writer (model) and an editor (person), with `extra` lines at the top level. */
function humanYaml(extra = '', editor = '{ name: editor, kind: human, description: A person who edits }'): string {
  return `name: review
pattern: round_robin
model: { model: gpt-4o-mini }
agents:
  - { name: writer, description: Writes the draft }
  - ${editor}
maxTurns: 6
${extra}`;
}

describe('human agents', () => {
  it('refuses an unknown kind, naming the four there are', () => {
    const err = specError(humanYaml('', '{ name: editor, kind: robot, description: Edits }'));
    expect(err.message).toBe(`${S}: agents[1].kind: expected \`kind\` to be "llm" (the default), "human", "a2a" or "team"`);
  });

  it('refuses a model on a human agent as an unknown field of that agent', () => {
    const err = specError(humanYaml('', '{ name: editor, kind: human, description: Edits, model: gpt-4o }'));
    expect(err.message).toBe(`${S}: agents[1]: unknown field "model"`);
  });

  it('refuses model-only fields such as stopSignal on a human agent', () => {
    const err = specError(humanYaml('', '{ name: editor, kind: human, description: Edits, stopSignal: DONE }'));
    expect(err.problems).toEqual([{ path: 'agents[1]', message: 'unknown field "stopSignal"' }]);
  });

  it('refuses a human turn that times out with approve: an input request has nothing to approve', () => {
    const err = specError(humanYaml('', '{ name: editor, kind: human, description: Edits, timeout: { after: 1h, action: approve } }'));
    expect(err.message).toBe(
      `${S}: agents[1].timeout.action: an input request cannot be approved: use "continue" (with a message) or "reject"`,
    );
  });

  it('asks for the message a human turn goes on with when it times out with continue', () => {
    const err = specError(humanYaml('', '{ name: editor, kind: human, description: Edits, timeout: { after: 1h, action: continue } }'));
    expect(err.message).toBe(`${S}: agents[1].timeout.message: with action "continue", give the \`message\` the run goes on with`);
  });

  it('refuses an unknown timeout action and a zero wait', () => {
    const err = specError(humanYaml('', '{ name: editor, kind: human, description: Edits, timeout: { after: 0s, action: skip } }'));
    expect(err.problems).toEqual([
      { path: 'agents[1].timeout.after', message: 'must be longer than zero' },
      { path: 'agents[1].timeout.action', message: 'expected "continue", "approve" or "reject"' },
    ]);
  });

  it('reserves "user" for human agents too', () => {
    const err = specError(humanYaml('', '{ name: user, kind: human, description: Me }'));
    expect(err.message).toBe(`${S}: agents[1].name: "user" is reserved; choose another name`);
  });
});

describe('handoff', () => {
  const NOT_HUMAN = 'is not a human agent of the team; name one (kind: human) or leave it out for "user"';

  it('refuses handoff.to naming a model agent', () => {
    expect(specError(humanYaml('handoff: { phrase: ASK_HUMAN, to: writer }\n')).message).toBe(`${S}: handoff.to: "writer" ${NOT_HUMAN}`);
  });

  it('refuses handoff.to naming nobody in the team', () => {
    expect(specError(humanYaml('handoff: { phrase: ASK_HUMAN, to: carol }\n')).message).toBe(`${S}: handoff.to: "carol" ${NOT_HUMAN}`);
  });

  it('refuses a handoff timeout with approve, and an empty phrase', () => {
    const err = specError(humanYaml('handoff: { phrase: "", timeout: { after: 1h, action: approve } }\n'));
    expect(err.problems.map((p) => p.path)).toEqual(['handoff.phrase', 'handoff.timeout.action']);
    expect(err.message).toContain(`${S}: handoff.timeout.action: an input request cannot be approved`);
  });

  it('fails the same way from the builder, naming the builder', () => {
    const err = thrownSpecError(() =>
      team('review')
        .model({ model: 'm' })
        .agent('writer', { description: 'W' })
        .handoff({ phrase: 'ASK', to: 'writer' })
        .maxTurns(2)
        .build(),
    );
    expect(err.message).toBe(`team "review" (builder): handoff.to: "writer" ${NOT_HUMAN}`);
  });
});

describe('approval', () => {
  it('refuses an approval that never asks', () => {
    expect(specError(humanYaml('approval: { beforeCompletion: false }\n')).message).toBe(
      `${S}: approval: this approval never asks: set \`when\`, or leave beforeCompletion at its default (true)`,
    );
  });

  it('asks for the message of a continue timeout', () => {
    expect(specError(humanYaml('approval: { timeout: { after: 1h, action: continue } }\n')).message).toBe(
      `${S}: approval.timeout.message: with action "continue", give the \`message\` the run goes on with`,
    );
  });

  it('names an unknown agent in approval.when by its full path, nested or not', () => {
    const err = specError(
      humanYaml(`approval:
  when:
    type: any
    conditions:
      - { type: source_match, sources: [reviewer] }
      - { type: all, conditions: [ { type: text_mention, text: OK, sources: [editor, critic] } ] }
`),
    );
    expect(err.message.split('\n')).toEqual([
      `${S}: approval.when.conditions[0].sources[0]: unknown agent "reviewer"; the agents are writer, editor (and "user")`,
      `${S}: approval.when.conditions[1].conditions[0].sources[1]: unknown agent "critic"; the agents are writer, editor (and "user")`,
    ]);
  });

  it('refuses stop_message in approval.when when no agent has a stopSignal', () => {
    expect(specError(humanYaml('approval: { when: { type: stop_message } }\n')).message).toBe(
      `${S}: approval.when: no agent has a "stopSignal", so no stop message can ever arrive`,
    );
  });

  it('suggests the approval field a misspelt one was meant to be', () => {
    expect(specError(humanYaml('approval: { beforeCompleton: false }\n')).message).toBe(
      `${S}: approval: unknown field "beforeCompleton" (did you mean "beforeCompletion"?)`,
    );
    expect(specError(humanYaml('aproval: {}\n')).message).toBe(`${S}: unknown field "aproval" (did you mean "approval"?)`);
    expect(specError(humanYaml('handoff: { phrase: ASK, tp: user }\n')).message).toBe(
      `${S}: handoff: unknown field "tp" (did you mean "to"?)`,
    );
  });

  it('gives no hint for a short name that is only loosely like a field', () => {
    expect(specError(humanYaml('ok: true\n')).message).toBe(`${S}: unknown field "ok"`);
  });
});

describe('notify', () => {
  it('refuses a webhook that is not an http(s) URL', () => {
    expect(specError(humanYaml('notify: { webhook: "hooks.example.com/teams" }\n')).message).toBe(
      `${S}: notify.webhook: expected an http(s) URL`,
    );
    expect(specError(humanYaml('notify: { webhook: "ftp://hooks.example.com" }\n')).problems.map((p) => p.path)).toEqual([
      'notify.webhook',
    ]);
  });

  it('refuses a token pasted into tokenEnv without repeating it', () => {
    const err = specError(humanYaml(`notify: { webhook: "https://hooks.example.com", tokenEnv: "${PASTED_TOKEN}" }\n`));
    expect(err.problems).toEqual([
      { path: 'notify.tokenEnv', message: 'expected the name of an environment variable (like WEBHOOK_TOKEN), not the token itself' },
    ]);
    expect(err.message).not.toContain(PASTED_TOKEN);
    expect(JSON.stringify(err.problems)).not.toContain(PASTED_TOKEN);
  });

  it('refuses a token field in notify, pointing at tokenEnv and not echoing it', () => {
    const err = specError(humanYaml(`notify: { webhook: "https://hooks.example.com", token: "${PASTED_TOKEN}" }\n`));
    expect(err.problems).toEqual([{ path: 'notify', message: expect.stringContaining('"token" is not allowed') }]);
    expect(err.message).toContain('"tokenEnv"');
    expect(err.message).not.toContain('apiKeyEnv');
    expect(err.message).not.toContain(PASTED_TOKEN);
  });

  it('refuses an unknown event name and an empty list of events', () => {
    const err = specError(humanYaml('notify: { webhook: "https://hooks.example.com", events: [finished, started] }\n'));
    expect(err.message).toBe(`${S}: notify.events[1]: expected "input-required" or "finished"`);
    expect(specError(humanYaml('notify: { webhook: "https://hooks.example.com", events: [] }\n')).problems.map((p) => p.path)).toEqual([
      'notify.events',
    ]);
  });

  it('asks for the webhook when it is missing', () => {
    expect(specError(humanYaml('notify: { events: [finished] }\n')).problems).toEqual([
      { path: 'notify.webhook', message: 'missing; expected string' },
    ]);
  });
});
