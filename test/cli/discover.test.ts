import { parse as parseYaml } from 'yaml';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { parseTeamSpec, type TeamSpec } from '../../src/spec';
import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { exampleTeam } from '../helpers/teams';
import { expectCleanFailure, jsonLines, runCli } from './cli-helpers';

/** `durable-teams discover`: cards read and checked as a worker does, printed as team-file entries. */
describe('durable-teams discover', () => {
  let client: TeamClient;
  let front: A2AServer;
  let cardUrl: string;

  beforeAll(async () => {
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue: uniqueTaskQueue('discover') });
    front = await startA2AServer({ teams: [exampleTeam()], client, port: 0, version: '1.2.3', tokens: null, secrets: null });
    cardUrl = `${front.teamUrls.review}.well-known/agent-card.json`;
  });
  afterAll(async () => {
    await front?.close();
    await client?.close();
  });

  it('prints a participant and a tool per skill, which a team file takes as they are', async () => {
    const result = await runCli(['discover', cardUrl]);
    expect(result.code).toBe(0);
    const [participants, tools] = result.stdout.split('# Or as tools of an LLM agent (its `tools`):');
    const { agents } = parseYaml(participants!) as { agents: TeamSpec['agents'] };
    expect(agents).toEqual([
      { name: 'review', kind: 'a2a', description: expect.stringContaining('(skill "review" of review)'), card: cardUrl, skill: 'review' },
    ]);
    expect(parseYaml(tools!)).toEqual({ tools: [{ card: cardUrl, skill: 'review', name: 'review' }] });
    // What it prints is a valid team, as it is.
    const team = parseTeamSpec(
      {
        name: 'found',
        pattern: 'round_robin',
        model: { model: 'm' },
        agents: [...agents, { name: 'lead', description: 'Leads.', tools: (parseYaml(tools!) as { tools: [] }).tools }],
        maxTurns: 2,
      },
      'discovered',
    );
    expect(team.agents).toHaveLength(2);
  });

  it('prints JSON Lines with --json', async () => {
    const result = await runCli(['discover', cardUrl, '--json']);
    expect(jsonLines(result.stdout)).toEqual([
      expect.objectContaining({ card: cardUrl, name: 'review', participants: [expect.objectContaining({ skill: 'review' })] }),
    ]);
  });

  it('refuses a card outside the allowed hosts, and a URL that serves no card, naming them', async () => {
    const fenced = expectCleanFailure(await runCli(['discover', cardUrl, '--allow-hosts', 'agents.example.com']));
    expect(fenced).toMatch(
      /agent card http:\/\/127\.0\.0\.1:\d+\/teams\/review\/\.well-known\/agent-card\.json: host outside the allowlist \(agents\.example\.com\)/,
    );
    const missing = expectCleanFailure(await runCli(['discover', `${front.teamUrls.review}no-card.json`]));
    expect(missing).toMatch(/no-card\.json: the server answered 404/);
  });
});
