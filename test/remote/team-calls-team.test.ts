import { startA2AServer, type A2AServer } from '../../src/server/server';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { join } from 'node:path';
import { loadTeamFile } from '../../src/files/team-file';
import { callerTeam, REVIEW_SCRIPT, ROOT, reviewTeam } from '../helpers/teams';
import { nextRequest } from '../helpers/waiting';

/** Interop with our own front end: one team is a participant of another, over A2A. */
describe('a team with another team as a remote A2A participant', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let front: A2AServer;
  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: { ...REVIEW_SCRIPT.agents, editor: ['brief one', 'brief two'] } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    front = await startA2AServer({
      teams: [reviewTeam(), loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'))],
      client: env.client,
      port: 0,
      version: 'test',
      tokens: null,
      secrets: null,
    });
  });
  /** The remote team's runs for one of our runs: the remote call's contextId is `<run>/<agent>`. */
  async function remoteRunsOf(runId: string, agent: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const info of env.client.client.workflow.list({ query: `TaskQueue = '${env.taskQueue}'` })) {
      if (info.memo?.contextId === `${runId}/${agent}`) ids.push(info.workflowId);
    }
    return ids;
  }
  afterAll(async () => {
    await front?.close();
    await env?.stop();
    await model?.close();
  });

  it('sends the conversation to the remote team and takes its final answer as the turn', async () => {
    const caller = callerTeam(`${front.teamUrls.review}.well-known/agent-card.json`);
    const runId = await env.client.start(caller, 'Plan a note.');
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.map((m) => [m.source, m.content])).toEqual([
      ['user', 'Plan a note.'],
      ['editor', 'brief one'],
      ['reviewers', 'APPROVED'],
    ]);
    expect(messages[2]!.model).toBe('a2a:review');

    // The remote team's run got the conversation as its task, with the message id our turn gave it.
    const remote = await remoteRunsOf(runId, 'reviewers');
    expect(remote).toHaveLength(1);
    const task = (await env.client.result(remote[0]!)).messages[0]!;
    expect(task.content).toBe('[user] Plan a note.\n\n[editor] brief one');
  });

  it('takes the card inline from the team file: nothing fetched, the calls go where the card says', async () => {
    const served = (await (
      await fetch(`${front.teamUrls.review}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } })
    ).json()) as Record<string, unknown>;
    // Renamed, so the reply's model shows which card was used: the inline one, not the served one.
    const inline = { ...served, name: 'inline-review' };
    const runId = await env.client.start(callerTeam('http://unused.invalid', 'inline-caller', { card: inline }), 'Plan a note.');
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages[2]).toMatchObject({ source: 'reviewers', content: 'APPROVED', model: 'a2a:inline-review' });
    expect(await remoteRunsOf(runId, 'reviewers')).toHaveLength(1);
  });

  it('refuses an inline card whose interfaces are outside the allowlist, naming the interface', async () => {
    const served = (await (
      await fetch(`${front.teamUrls.review}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } })
    ).json()) as Record<string, unknown>;
    const runId = await env.client.start(
      callerTeam('http://unused.invalid', 'inline-fenced', { card: served, allowHosts: ['agents.example.com'] }),
      'Plan a note.',
    );
    await expect(env.client.result(runId)).rejects.toThrow(
      /inline agent card names an interface \(0, JSONRPC\) at http:\/\/127\.0\.0\.1:\d+\/.*: host outside the allowlist \(agents\.example\.com\)/,
    );
    expect(await remoteRunsOf(runId, 'reviewers')).toEqual([]);
  });

  it("passes the remote team's question up to a person and their answer back to the remote task", async () => {
    const caller = callerTeam(`${front.teamUrls['review-approval']}.well-known/agent-card.json`, 'asker', {
      name: 'publishers',
      description: 'A team that asks before it publishes.',
    });
    const runId = await env.client.start(caller, 'Plan a note.');
    const request = await nextRequest(env.client, runId);
    expect(request).toMatchObject({ kind: 'input', reason: 'remote_input', from: 'publishers', to: 'user' });
    expect(request.prompt).toMatch(/^publishers \(remote\) asks: .*Publish it\?/);
    expect((await env.client.peek(runId)).status).toBe('input-required');

    await env.client.answer(runId, { action: 'input', text: 'approve: go ahead' });
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.map((m) => [m.source, m.content])).toEqual([
      ['user', 'Plan a note.'],
      ['editor', 'brief one'],
      ['user', 'approve: go ahead'],
      ['publishers', 'APPROVED'],
    ]);
    // The remote run took the answer as its approval, on the same task.
    const remote = await remoteRunsOf(runId, 'publishers');
    expect(remote).toHaveLength(1);
    expect((await env.client.result(remote[0]!)).snapshot.status).toBe('completed');
  });

  it('fails the run at once, naming the allowlist, when the card is on a host it does not allow', async () => {
    const fenced = callerTeam(`${front.teamUrls.review}.well-known/agent-card.json`, 'fenced', { allowHosts: ['agents.example.com'] });
    const runId = await env.client.start(fenced, 'Plan a note.');
    await expect(env.client.result(runId)).rejects.toThrow(
      /agent card http:\/\/127\.0\.0\.1:\d+\/teams\/review\/\.well-known\/agent-card\.json: host outside the allowlist \(agents\.example\.com\)/,
    );
    // Refused, not retried: one attempt, and nothing was sent anywhere.
    expect(await remoteRunsOf(runId, 'reviewers')).toEqual([]);
  });
});
