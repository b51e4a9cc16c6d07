import {
  allOf,
  anyOf,
  isHuman,
  isLlm,
  maxMessages,
  parseTeamText,
  sourceMatch,
  stopMessage,
  team,
  textMention,
  type TeamSpec,
} from '../../../src/spec';

const S = 'teams/approval.yaml';

const HUMAN_TEAM_YAML = `
name: review-approval
pattern: round_robin
model: { model: gpt-4o-mini }
agents:
  - { name: writer, description: Writes the draft }
  - name: editor
    kind: human
    description: A person who edits
    prompt: Edit the draft, please.
    timeout: { after: 2h, action: continue, message: Looks fine. }
  - { name: critic, kind: llm, description: Reviews the draft, stopSignal: APPROVE }
termination:
  type: any
  conditions: [ { type: stop_message }, { type: max_messages, max: 20 } ]
approval:
  beforeCompletion: true
  when:
    type: all
    conditions:
      - { type: text_mention, text: PLAN READY, sources: [writer] }
      - type: any
        conditions:
          - { type: source_match, sources: [editor, user] }
          - { type: max_messages, max: 6 }
  prompt: Publish it?
  timeout: { after: 2d, action: reject }
handoff: { phrase: ASK_HUMAN, to: editor, timeout: { after: 30m, action: reject } }
notify: { webhook: "https://hooks.example.com/teams", events: [input-required, finished], tokenEnv: WEBHOOK_TOKEN }
maxTurns: 12
`;

const HUMAN_TEAM: TeamSpec = {
  name: 'review-approval',
  pattern: 'round_robin',
  model: { model: 'gpt-4o-mini' },
  agents: [
    { name: 'writer', description: 'Writes the draft' },
    {
      name: 'editor',
      kind: 'human',
      description: 'A person who edits',
      prompt: 'Edit the draft, please.',
      timeout: { after: '2h', action: 'continue', message: 'Looks fine.' },
    },
    { name: 'critic', kind: 'llm', description: 'Reviews the draft', stopSignal: 'APPROVE' },
  ],
  termination: { type: 'any', conditions: [{ type: 'stop_message' }, { type: 'max_messages', max: 20 }] },
  approval: {
    beforeCompletion: true,
    when: {
      type: 'all',
      conditions: [
        { type: 'text_mention', text: 'PLAN READY', sources: ['writer'] },
        {
          type: 'any',
          conditions: [
            { type: 'source_match', sources: ['editor', 'user'] },
            { type: 'max_messages', max: 6 },
          ],
        },
      ],
    },
    prompt: 'Publish it?',
    timeout: { after: '2d', action: 'reject' },
  },
  handoff: { phrase: 'ASK_HUMAN', to: 'editor', timeout: { after: '30m', action: 'reject' } },
  notify: { webhook: 'https://hooks.example.com/teams', events: ['input-required', 'finished'], tokenEnv: 'WEBHOOK_TOKEN' },
  maxTurns: 12,
};

describe('a team with people in it parses from YAML', () => {
  it('keeps the human agent, approval (nested when), handoff and notify as written', () => {
    expect(parseTeamText(HUMAN_TEAM_YAML, S)).toStrictEqual(HUMAN_TEAM);
  });

  it('parses the same team from JSON', () => {
    expect(parseTeamText(JSON.stringify(HUMAN_TEAM), 'teams/approval.json')).toStrictEqual(HUMAN_TEAM);
  });

  it('tells human agents from model agents, whether or not `kind: llm` is written', () => {
    const [writer, editor, critic] = parseTeamText(HUMAN_TEAM_YAML, S).agents;
    expect([writer, editor, critic].map((a) => isHuman(a!))).toEqual([false, true, false]);
    expect([writer, editor, critic].map((a) => isLlm(a!))).toEqual([true, false, true]);
  });

  it('gives the same data as the builder', () => {
    const built = team('review-approval')
      .roundRobin()
      .model({ model: 'gpt-4o-mini' })
      .agent('writer', { description: 'Writes the draft' })
      .human('editor', {
        description: 'A person who edits',
        prompt: 'Edit the draft, please.',
        timeout: { after: '2h', action: 'continue', message: 'Looks fine.' },
      })
      .agent('critic', { kind: 'llm', description: 'Reviews the draft', stopSignal: 'APPROVE' })
      .terminateWhen(anyOf(stopMessage(), maxMessages(20)))
      .approval({
        beforeCompletion: true,
        when: allOf(textMention('PLAN READY', { sources: ['writer'] }), anyOf(sourceMatch('editor', 'user'), maxMessages(6))),
        prompt: 'Publish it?',
        timeout: { after: '2d', action: 'reject' },
      })
      .handoff({ phrase: 'ASK_HUMAN', to: 'editor', timeout: { after: '30m', action: 'reject' } })
      .notify({ webhook: 'https://hooks.example.com/teams', events: ['input-required', 'finished'], tokenEnv: 'WEBHOOK_TOKEN' })
      .maxTurns(12)
      .build();
    expect(built).toStrictEqual(parseTeamText(HUMAN_TEAM_YAML, S));
  });

  it('builds an approval with no options as `approval: {}`', () => {
    const built = team('t').model({ model: 'm' }).agent('writer', { description: 'W' }).approval().maxTurns(2).build();
    expect(built.approval).toStrictEqual({});
    expect(built).toStrictEqual(
      parseTeamText(
        'name: t\npattern: round_robin\nmodel: { model: m }\nagents: [ { name: writer, description: W } ]\napproval: {}\nmaxTurns: 2\n',
        S,
      ),
    );
  });
});

describe('what a team with people may leave out or choose', () => {
  it('needs no model when every agent is a person', () => {
    const spec = parseTeamText(
      `name: people
pattern: round_robin
agents:
  - { name: alice, kind: human, description: Writes }
  - { name: bob, kind: human, description: Reviews }
maxTurns: 4
`,
      S,
    );
    expect(spec.model).toBeUndefined();
    expect(spec.agents.map((a) => a.kind)).toEqual(['human', 'human']);
  });

  it('still asks for a model for the model agents of a mixed team', () => {
    expect(() =>
      parseTeamText(
        'name: t\npattern: round_robin\nagents:\n  - { name: a, kind: human, description: A }\n  - { name: w, description: W }\nmaxTurns: 2\n',
        S,
      ),
    ).toThrow(`${S}: agents[1].model: no model named`);
  });

  it('accepts a handoff to "user" written out, and a handoff with no `to`', () => {
    const base = 'name: t\npattern: round_robin\nmodel: { model: m }\nagents: [ { name: w, description: W } ]\nmaxTurns: 2\n';
    expect(parseTeamText(`${base}handoff: { phrase: ASK, to: user }\n`, S).handoff).toStrictEqual({ phrase: 'ASK', to: 'user' });
    expect(parseTeamText(`${base}handoff: { phrase: ASK }\n`, S).handoff).toStrictEqual({ phrase: 'ASK' });
  });

  it('lets an approval time out with approve, and a human turn with reject', () => {
    const spec = parseTeamText(
      `name: t
pattern: round_robin
model: { model: m }
agents:
  - { name: w, description: W }
  - { name: p, kind: human, description: P, timeout: { after: 90000, action: reject } }
approval: { timeout: { after: 1d, action: approve } }
maxTurns: 2
`,
      S,
    );
    expect(spec.approval?.timeout).toEqual({ after: '1d', action: 'approve' });
    expect(spec.agents[1]).toEqual({ name: 'p', kind: 'human', description: 'P', timeout: { after: 90000, action: 'reject' } });
  });

  it('accepts approval.beforeCompletion: false when `when` is given, and notify with one event and no token', () => {
    const spec = parseTeamText(
      `name: t
pattern: round_robin
model: { model: m }
agents: [ { name: w, description: W } ]
approval: { beforeCompletion: false, when: { type: text_mention, text: PLAN, sources: [user, w] } }
notify: { webhook: "http://127.0.0.1:9999/hook", events: [finished] }
maxTurns: 2
`,
      S,
    );
    expect(spec.approval).toEqual({ beforeCompletion: false, when: { type: 'text_mention', text: 'PLAN', sources: ['user', 'w'] } });
    expect(spec.notify).toEqual({ webhook: 'http://127.0.0.1:9999/hook', events: ['finished'] });
  });
});
