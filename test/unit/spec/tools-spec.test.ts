import { parseTeamText } from '../../../src/spec';
import { roundRobinYaml, specError } from './spec-helpers';

/** The round-robin team with `tools` (YAML flow text) given to the writer. */
const withTools = (tools: string, extra = '') =>
  roundRobinYaml('maxTurns: 4\n').replace(
    '{ name: writer, description: Writes the draft }',
    `{ name: writer, description: Writes the draft, tools: ${tools}${extra} }`,
  );

describe('tools in a team file', () => {
  it('takes names, long forms and remote agents, with the agent options', () => {
    const team = parseTeamText(
      withTools(
        '[lookup, { name: refund, approval: { prompt: "Refund?", timeout: { after: 1h, action: reject } }, retry: { maximumAttempts: 2 } }, { card: "https://agents.example.com/.well-known/agent-card.json", skill: translate, name: translator }]',
        ', maxToolIterations: 3, reflectOnToolUse: true, parallelToolCalls: false, toolCallSummaryFormat: "{tool_name}: {result}"',
      ),
      'teams/review.yaml',
    );
    expect(team.agents[0]).toMatchObject({
      tools: [
        'lookup',
        { name: 'refund', approval: { prompt: 'Refund?' } },
        { card: 'https://agents.example.com/.well-known/agent-card.json', skill: 'translate', name: 'translator' },
      ],
      maxToolIterations: 3,
      reflectOnToolUse: true,
      parallelToolCalls: false,
    });
  });

  it('refuses a tool name the model could not call', () => {
    expect(specError(withTools('["look up"]')).problems).toEqual([
      { path: 'agents[0].tools[0]', message: expect.stringContaining('the model calls the tool by this name') },
    ]);
  });

  it('refuses two tools of one name', () => {
    expect(specError(withTools('[lookup, { name: lookup, approval: true }]')).problems).toEqual([
      { path: 'agents[0].tools[1]', message: 'duplicate tool "lookup": the model could not tell the two apart' },
    ]);
  });

  it('refuses a name on a remote tool that names no skill', () => {
    expect(specError(withTools('[{ card: "https://a.example.com/card.json", name: helper }]')).problems).toEqual([
      {
        path: 'agents[0].tools[0].name',
        message: 'a name needs `skill`: without it each skill of the card is a tool, named after the skill',
      },
    ]);
  });

  it('refuses a key where a secret belongs to the environment', () => {
    const err = specError(withTools('[{ card: "https://a.example.com/card.json", auth: { bearerEnv: "sk-live-123" } }]'));
    expect(err.message).not.toContain('sk-live-123');
    expect(err.problems[0]!.path).toMatch(/^agents\[0\]\.tools\[0\]/);
  });

  it('refuses "continue" as what an approval deadline does, and a summary format without {result}', () => {
    expect(
      specError(withTools('[{ name: refund, approval: { timeout: { after: 1h, action: continue, message: go } } }]')).problems,
    ).toEqual([
      { path: 'agents[0].tools[0].approval.timeout.action', message: 'a tool call is approved or rejected: use "approve" or "reject"' },
    ]);
    expect(specError(withTools('[lookup]', ', toolCallSummaryFormat: "done"')).problems).toEqual([
      { path: 'agents[0].toolCallSummaryFormat', message: 'must contain "{result}"' },
    ]);
  });
});

describe('swarm teams in a team file', () => {
  const swarmYaml = (agents: string, extra = '') => `name: desk
pattern: swarm
model: { model: gpt-4o-mini }
agents:
${agents}
maxTurns: 8
${extra}`;

  it('takes handoffs to agents and to "user", and the handoff and function_call conditions', () => {
    const team = parseTeamText(
      swarmYaml(
        '  - { name: triage, description: Sorts, handoffs: [billing, user] }\n  - { name: billing, description: Bills, handoffs: [{ target: triage, description: Back to triage }] }',
        'termination: { type: any, conditions: [{ type: handoff, target: user }, { type: function_call, functionName: refund }] }',
      ),
      'teams/desk.yaml',
    );
    expect(team.pattern).toBe('swarm');
    expect(team.agents[1]).toMatchObject({ handoffs: [{ target: 'triage', description: 'Back to triage' }] });
  });

  it('refuses handoffs to nobody, to oneself, and outside a swarm', () => {
    expect(
      specError(
        swarmYaml('  - { name: triage, description: Sorts, handoffs: [triage, bilingg] }\n  - { name: billing, description: Bills }'),
      ).problems,
    ).toEqual([
      { path: 'agents[0].handoffs[0]', message: 'an agent cannot hand off to itself' },
      { path: 'agents[0].handoffs[1]', message: 'unknown agent "bilingg"; the agents are triage, billing (and "user")' },
    ]);
    expect(specError(withTools('[lookup]', ', handoffs: [critic]')).problems).toEqual([
      { path: 'agents[0].handoffs[0]', message: 'handoffs are for the swarm pattern: set pattern: swarm, or remove them' },
    ]);
  });

  it('refuses a swarm nobody can hand off in, and a handoff condition naming an unknown agent', () => {
    expect(
      specError(
        swarmYaml(
          '  - { name: triage, description: Sorts }\n  - { name: billing, description: Bills }',
          'termination: { type: handoff, target: bob }',
        ),
      ).problems,
    ).toEqual([
      { path: 'agents', message: 'no agent of the swarm has `handoffs`, so the first would speak alone: list whom each may hand off to' },
      { path: 'termination.target', message: 'unknown agent "bob"; the agents are triage, billing (and "user")' },
    ]);
  });
});

describe('nested teams in a team file', () => {
  const outer = (inner: string) => `name: outer
pattern: round_robin
model: { model: gpt-4o-mini }
agents:
  - { name: editor, description: Edits }
  - name: reviewers
    kind: team
    description: The review team
    team:
${inner}
maxTurns: 4
`;
  it('takes a whole team as a participant, checked like any team', () => {
    const team = parseTeamText(
      outer(
        '      { name: review, pattern: round_robin, model: { model: m }, agents: [{ name: critic, description: Critiques }], maxTurns: 2 }',
      ),
      'outer.yaml',
    );
    expect(team.agents[1]).toMatchObject({ kind: 'team', team: { name: 'review', agents: [{ name: 'critic' }] } });
  });
  it("names the inner team's mistakes by their full path", () => {
    expect(
      specError(
        outer('      { name: review, pattern: round_robin, model: { model: m }, agents: [{ name: critic, description: Critiques }] }'),
      ).problems,
    ).toEqual([{ path: 'agents[1].team.termination', message: 'the team would never stop: add a termination condition or "maxTurns"' }]);
  });
});
