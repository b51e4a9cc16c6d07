import { memoryRequest, missingUserKey } from '../../../src/core/memory-request';
import { createRunState } from '../../../src/core/state';
import { parseTeamText, team } from '../../../src/spec';
import { memoryUserOf } from '../../../src/a2a/memory-user';
import { specError } from '../spec/spec-helpers';

const S = 'teams/review.yaml';

/** A team file with one agent; `agent` and `team` are extra YAML lines for each. */
const yaml = (agent = '', team = '') => `name: notes
pattern: round_robin
model: { model: gpt-4o-mini, baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: MY_KEY }
maxTurns: 2
agents:
  - name: writer
    description: Writes.
${agent
  .split('\n')
  .filter(Boolean)
  .map((l) => `    ${l}`)
  .join('\n')}
${team}`;

describe('memory in the team file', () => {
  it('names the field of a bad scope, top, tools or embeddings, on the agent or the team', () => {
    expect(specError(yaml('memory: { scope: everyone }')).message).toBe(
      `${S}: agents[0].memory.scope: expected "context", "team" or "user"`,
    );
    expect(specError(yaml('', 'memory: { top: 0 }')).problems).toEqual([{ path: 'memory.top', message: 'expected at least 1 entry' }]);
    expect(specError(yaml('memory: { top: 2.5 }')).problems[0]!.path).toBe('agents[0].memory.top');
    expect(specError(yaml('memory: { tools: "yes" }')).problems).toEqual([
      { path: 'agents[0].memory.tools', message: 'expected true or false' },
    ]);
    expect(specError(yaml('memory: { embeddings: {} }')).problems[0]!.path).toBe('agents[0].memory.embeddings.model');
    expect(specError(yaml('memory: { colour: teal }')).problems[0]!.path).toBe('agents[0].memory');
  });

  it('the builder sets team memory, checked as a file is', () => {
    const built = team('b')
      .roundRobin()
      .model({ model: 'm' })
      .memory({ scope: 'context', top: 2 })
      .agent('a', { description: 'd' })
      .maxTurns(1);
    expect(built.build().memory).toEqual({ scope: 'context', top: 2 });
    expect(() => built.memory({ top: 99 }).build()).toThrow('memory.top: at most 50 entries');
  });

  it('takes only the name of a key variable, never the key itself, and does not echo it', () => {
    const err = specError(yaml('memory: { embeddings: { model: e, apiKeyEnv: "sk-live-abc123" } }'));
    expect(err.problems).toEqual([
      { path: 'agents[0].memory.embeddings.apiKeyEnv', message: expect.stringContaining('not the key itself') },
    ]);
    expect(err.message).not.toContain('sk-live-abc123');
  });

  it('refuses a tool of the team file named like a built-in memory tool, unless memory.tools is false', () => {
    expect(specError(yaml('tools: [remember]', 'memory: { scope: team }')).message).toBe(
      `${S}: agents[0].tools[0]: tool "remember" clashes with the built-in memory tool of that name; rename yours, or set memory.tools: false`,
    );
    expect(() => parseTeamText(yaml('tools: [recall]\nmemory: { tools: false }'), S)).not.toThrow();
    expect(() => parseTeamText(yaml('tools: [recall]'), S)).not.toThrow(); // no memory, no clash
  });
});

describe('whose memory a turn uses', () => {
  const state = (contextId: string | null, user?: string) =>
    createRunState({ runId: 'notes-1', team: parseTeamText(yaml(), S), task: 't', contextId, now: 0, ...(user ? { user } : {}) });

  it('the team scope by default, 5 entries; the agent overrides the team; embeddings fall back to the agent endpoint', () => {
    const team = parseTeamText(yaml('memory: { scope: context, embeddings: { model: emb } }', 'memory: { top: 3 }'), S);
    const writer = team.agents[0] as Parameters<typeof memoryRequest>[2];
    expect(memoryRequest(team, state('ctx-9'), writer)).toEqual({
      team: 'notes',
      scope: 'context',
      key: 'ctx-9',
      top: 5,
      embeddings: { model: 'emb', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: 'MY_KEY' },
    });
    expect(memoryRequest(team, state(null), writer)?.key).toBe('notes-1'); // no context: the run alone
    const teamOnly = parseTeamText(yaml('', 'memory: { top: 3 }'), S);
    expect(memoryRequest(teamOnly, state(null), teamOnly.agents[0] as typeof writer)).toEqual({
      team: 'notes',
      scope: 'team',
      key: 'notes',
      top: 3,
    });
    const none = parseTeamText(yaml(), S);
    expect(memoryRequest(none, state(null), none.agents[0] as typeof writer)).toBeUndefined();
  });

  it("user scope: the run's user key; without one, starts are refused naming the field", () => {
    const team = parseTeamText(yaml('memory: { scope: user }'), S);
    const writer = team.agents[0] as Parameters<typeof memoryRequest>[2];
    expect(memoryRequest(team, state(null, 'ana'), writer)?.key).toBe('ana');
    expect(memoryRequest(team, state(null), writer)?.key).toBeNull();
    expect(missingUserKey(team, undefined)).toContain('agent "writer" keeps memory per user');
    expect(missingUserKey(team, 'ana')).toBeNull();
    expect(() => memoryUserOf(undefined, { name: null }, team)).toThrow('set metadata.durableTeams.user on the message');
    expect(() => memoryUserOf({ durableTeams: { user: 7 } }, { name: null }, team)).toThrow('metadata.durableTeams.user must be');
  });

  it("over A2A with bearer auth, the user key is the token's name and the caller's key, so callers stay apart", () => {
    const team = parseTeamText(yaml('memory: { scope: user }'), S);
    expect(memoryUserOf({ durableTeams: { user: 'ana' } }, { name: 'crm-app' }, team)).toBe('crm-app:ana');
    expect(memoryUserOf({ durableTeams: { user: 'ana' } }, { name: null }, team)).toBe('ana');
    expect(memoryUserOf(undefined, { name: null }, parseTeamText(yaml(), S))).toBeUndefined();
  });
});
