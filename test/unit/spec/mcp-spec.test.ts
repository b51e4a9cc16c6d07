import { parseTeamSpec, SpecError, team } from '../../../src/spec';
import { mcpApprovalOf, mcpHintWords } from '../../../src/spec/plain/mcp-servers';

const teamWith = (agent: Record<string, unknown>, team: Record<string, unknown> = {}) => ({
  name: 't',
  pattern: 'round_robin',
  model: { model: 'm' },
  agents: [{ name: 'a', description: 'A.', ...agent }],
  maxTurns: 1,
  ...team,
});
const problemsOf = (data: unknown): string => {
  try {
    parseTeamSpec(data);
  } catch (err) {
    if (err instanceof SpecError) return err.message;
    throw err;
  }
  return '';
};

describe('mcp: servers in the team file', () => {
  it('takes stdio and Streamable HTTP servers, on an agent or the team', () => {
    const team = parseTeamSpec(
      teamWith(
        { mcp: [{ name: 'fs', command: 'npx', args: ['-y', 'some-server'], envFrom: { TOKEN: 'FS_TOKEN' }, prefix: 'fs_' }] },
        { mcp: [{ name: 'web', url: 'http://127.0.0.1:3001/mcp', headersFrom: { Authorization: 'WEB_AUTH' }, onUnknownOutcome: 'fail' }] },
      ),
    );
    expect(team.mcp?.[0]?.name).toBe('web');
  });

  it('the builder adds servers for the whole team, checked as a team file is', () => {
    const built = team('b')
      .roundRobin()
      .model({ model: 'm' })
      .agent('a', { description: 'A.', mcp: [{ name: 'own', url: 'http://127.0.0.1:3001/mcp' }] })
      .mcp({ name: 'files', command: 'mcp-fs', args: ['/srv'] })
      .maxTurns(1)
      .build();
    expect(built.mcp?.map((s) => s.name)).toEqual(['files']);
    expect(() =>
      team('b').roundRobin().model({ model: 'm' }).agent('a', { description: 'A.' }).mcp({ name: 'x' }).maxTurns(1).build(),
    ).toThrow('give either `command` (a stdio server) or `url`');
  });

  it('refuses a server that is neither or both kinds, fields of the other kind, and a secret where a name belongs', () => {
    expect(problemsOf(teamWith({ mcp: [{ name: 'x' }] }))).toContain('give either `command` (a stdio server) or `url`');
    expect(problemsOf(teamWith({ mcp: [{ name: 'x', command: 'c', url: 'http://127.0.0.1/mcp' }] }))).toContain('not both');
    expect(problemsOf(teamWith({ mcp: [{ name: 'x', url: 'http://127.0.0.1/mcp', args: ['a'] }] }))).toContain(
      '`args` is for stdio servers',
    );
    expect(problemsOf(teamWith({ mcp: [{ name: 'x', command: 'c', headersFrom: { A: 'B' } }] }))).toContain('`headersFrom` is for HTTP');
    const leaked = problemsOf(teamWith({ mcp: [{ name: 'x', command: 'c', envFrom: { TOKEN: 'sk-live-123' } }] }));
    expect(leaked).toContain('expected the NAME of an environment variable');
    expect(leaked).not.toContain('sk-live-123');
    expect(problemsOf(teamWith({ mcp: [{ name: 'x', command: 'c', onUnknownOutcome: 'maybe' }] }))).toContain('"ask", "fail" or "retry"');
  });

  it('refuses a credential given as it is, where it would go into history, pointing at the *From maps', () => {
    const header = problemsOf(teamWith({ mcp: [{ name: 'x', url: 'http://127.0.0.1/mcp', headers: { Authorization: 'Bearer abc' } }] }));
    expect(header).toContain('"Authorization" looks like a secret');
    expect(header).toContain('`headersFrom`');
    expect(header).not.toContain('Bearer abc');
    expect(problemsOf(teamWith({ mcp: [{ name: 'x', command: 'c', env: { GITHUB_TOKEN: 'ghp_1' } }] }))).toContain('`envFrom`');
    expect(problemsOf(teamWith({ mcp: [{ name: 'x', command: 'c', env: { LOG_LEVEL: 'warn' } }] }))).toBe('');
  });

  it('refuses a tool name a server brings that another tool of the agent has, naming both, and a server named twice', () => {
    const clash = problemsOf(teamWith({ tools: ['fs_read'], mcp: [{ name: 'fs', command: 'c', include: ['read'], prefix: 'fs_' }] }));
    expect(clash).toContain('agents[0].mcp[0].include');
    expect(clash).toContain('"fs_read" of MCP server "fs" clashes with the function tool "fs_read"');
    const twoServers = problemsOf(
      teamWith({ mcp: [{ name: 'a1', command: 'c', include: ['read'] }] }, { mcp: [{ name: 'b1', command: 'c', include: ['read'] }] }),
    );
    expect(twoServers).toContain('"read" of MCP server "a1" clashes with "read" of MCP server "b1"');
    expect(
      problemsOf(
        teamWith({
          mcp: [
            { name: 'fs', command: 'c' },
            { name: 'fs', url: 'http://127.0.0.1/mcp' },
          ],
        }),
      ),
    ).toContain('duplicate MCP server "fs"');
  });
});

describe("mcp: a server's calls approved by a person", () => {
  const readOnly = { readOnlyHint: true };
  const destructive = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

  it('takes true, "unlessReadOnly" and the object form, and says what else it takes', () => {
    for (const approval of [
      true,
      false,
      'unlessReadOnly',
      { prompt: 'May it?', unlessReadOnly: true, timeout: { after: '1h', action: 'reject' } },
    ])
      expect(problemsOf(teamWith({ mcp: [{ name: 'fs', command: 'x', approval }] }))).toBe('');
    expect(problemsOf(teamWith({ mcp: [{ name: 'fs', command: 'x', approval: 'sometimes' }] }))).toContain(
      'expected true, false, "unlessReadOnly" or {prompt, timeout, unlessReadOnly}',
    );
  });

  it('asks for every call, or for all but the read-only tools, as the entry says', () => {
    expect(mcpApprovalOf({}, destructive)).toBeNull();
    expect(mcpApprovalOf({ approval: true }, readOnly)).toEqual({});
    expect(mcpApprovalOf({ approval: 'unlessReadOnly' }, readOnly)).toBeNull();
    expect(mcpApprovalOf({ approval: 'unlessReadOnly' }, destructive)).toEqual({});
    // A tool the server says nothing of is not taken as read-only.
    expect(mcpApprovalOf({ approval: 'unlessReadOnly' }, undefined)).toEqual({});
    expect(mcpApprovalOf({ approval: { prompt: 'May it?', unlessReadOnly: true } }, destructive)).toEqual({ prompt: 'May it?' });
    expect(mcpApprovalOf({ approval: { prompt: 'May it?', unlessReadOnly: true } }, readOnly)).toBeNull();
  });

  it("tells the approver what the server says of the tool's effects", () => {
    expect(mcpHintWords(undefined)).toBe('the server says nothing of its effects');
    expect(mcpHintWords(readOnly)).toBe('read-only, says the server');
    expect(mcpHintWords(destructive)).toBe(
      'may change or destroy things; the same call twice does no more; stays within its own data, says the server',
    );
    expect(mcpHintWords({ destructiveHint: false, openWorldHint: true })).toBe(
      'only adds, does not destroy; reaches the world outside, says the server',
    );
  });
});
