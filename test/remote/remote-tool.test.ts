import { join } from 'node:path';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { loadTeamFile } from '../../src/files/team-file';
import { maxMessages, team, type ToolUseSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT, ROOT, reviewTeam } from '../helpers/teams';
import { nextRequest } from '../helpers/waiting';

/** A remote A2A agent (our own front end serving a review team) as a tool of an LLM agent. */
describe('a remote A2A agent as a tool', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let front: A2AServer;
  let cardUrl: string;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        agents: {
          ...REVIEW_SCRIPT.agents,
          planner: [{ toolCalls: [{ name: 'review', arguments: { message: 'Check my draft.' } }] }, 'The reviewers approved.'],
          asker: [{ toolCalls: [{ name: 'ask_reviewers', arguments: { message: 'Is it good?' } }] }],
          publisher: [{ toolCalls: [{ name: 'publish', arguments: { message: 'Publish my note.' } }] }, 'Published, with your approval.'],
        },
      },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    front = await startA2AServer({
      teams: [reviewTeam(), loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'))],
      client: env.client,
      port: 0,
      version: 'test',
      tokens: null,
      secrets: null,
    });
    cardUrl = `${front.teamUrls.review}.well-known/agent-card.json`;
  });
  afterAll(async () => {
    await front?.close();
    await env?.stop();
    await model?.close();
  });

  /** The remote team's runs started for one of our runs' tool calls (contextId `<run>/<agent>/<tool>`). */
  async function remoteRuns(contextId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const info of env.client.client.workflow.list({ query: `TaskQueue = '${env.taskQueue}'` })) {
      if (info.memo?.contextId === contextId) ids.push(info.workflowId);
    }
    return ids;
  }

  const caller = (agent: string, tools: ToolUseSpec[]) =>
    team(`calls-${agent}`)
      .roundRobin()
      .model({ model: 'scripted' })
      .agent(agent, { description: 'Plans.', tools, reflectOnToolUse: true })
      .terminateWhen(maxMessages(2))
      .build();

  it("offers each skill of the card as a tool, described by the card; the model's call becomes an A2A call whose answer goes back to the model", async () => {
    const runId = await env.client.start(caller('planner', [{ card: cardUrl }]), 'Get my draft reviewed.');
    const { snapshot, messages } = await env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    expect(messages.map((m) => `${m.source}:${m.kind}`)).toEqual(['user:text', 'planner:tool_call', 'planner:tool_result', 'planner:text']);
    expect(messages[2]!.toolResults).toMatchObject([{ callId: 'call_1', name: 'review', content: 'APPROVED', isError: false }]);
    expect(messages[3]!.content).toBe('The reviewers approved.');

    const offered = model.requests.find((r) => r.runId === runId)!.tools as {
      function: { name: string; description: string; parameters: { required: string[] } };
    }[];
    expect(offered.map((t) => t.function.name)).toEqual(['review']);
    expect(offered[0]!.function.description).toMatch(/\(skill "review" of the remote agent review\)$/);
    expect(offered[0]!.function.parameters.required).toEqual(['message']);

    // One remote task, whose task text is what the model asked.
    const remote = await remoteRuns(`${runId}/planner/review`);
    expect(remote).toHaveLength(1);
    expect((await env.client.result(remote[0]!)).messages[0]!.content).toBe('Check my draft.');
    // The model saw the remote answer as the call's result.
    const reflection = model.requests.filter((r) => r.runId === runId)[1]!.messages as { role: string; content?: string }[];
    expect(reflection.at(-1)).toMatchObject({ role: 'tool', content: 'APPROVED' });
  });

  it('names one skill as a tool of its own name, and waits for approval before calling it', async () => {
    const runId = await env.client.start(
      caller('asker', [{ card: cardUrl, skill: 'review', name: 'ask_reviewers', description: 'Asks the review team.', approval: true }]),
      'Go.',
    );
    for await (const event of env.client.follow(runId)) if (event.type === 'input_requested') break;
    expect(await remoteRuns(`${runId}/asker/ask_reviewers`)).toEqual([]);
    await env.client.answer(runId, { action: 'reject', text: 'not now' });
    const { messages } = await env.client.result(runId);
    expect(messages[2]!.toolResults).toMatchObject([
      { callId: 'call_1', name: 'ask_reviewers', content: 'the call was not approved: not now', isError: true },
    ]);
    expect(model.requests.find((r) => r.runId === runId)!.tools).toEqual([
      expect.objectContaining({ function: expect.objectContaining({ name: 'ask_reviewers', description: 'Asks the review team.' }) }),
    ]);
    expect(await remoteRuns(`${runId}/asker/ask_reviewers`)).toEqual([]);
  });

  it("passes the remote task's question up to a person; the answer goes to that task, and its answer to the model", async () => {
    const approvalCard = `${front.teamUrls['review-approval']}.well-known/agent-card.json`;
    const runId = await env.client.start(
      caller('publisher', [
        { card: approvalCard, skill: 'review-approval', name: 'publish', description: 'Publishes, once a person approves.' },
      ]),
      'Publish my note.',
    );
    const request = await nextRequest(env.client, runId);
    expect(request).toMatchObject({ kind: 'input', reason: 'remote_input', from: 'publisher', to: 'user' });
    expect(request.prompt).toMatch(/^publisher's remote tool publish asks: .*Publish it\?/);
    expect((await env.client.peek(runId)).status).toBe('input-required');

    await env.client.answer(runId, { action: 'input', text: 'approve: go ahead' });
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.map((m) => `${m.source}:${m.kind}`)).toEqual([
      'user:text',
      'publisher:tool_call',
      'user:text',
      'publisher:tool_result',
      'publisher:text',
    ]);
    expect(messages[3]!.toolResults).toMatchObject([{ callId: 'call_1', name: 'publish', content: 'APPROVED', isError: false }]);
    // One remote task, which took the answer as its approval and completed.
    const remote = await remoteRuns(`${runId}/publisher/publish`);
    expect(remote).toHaveLength(1);
    expect((await env.client.result(remote[0]!)).snapshot.status).toBe('completed');
    // The model saw its call, the result, and then what the person said.
    const reflection = model.requests.filter((r) => r.runId === runId)[1]!.messages as { role: string; content?: string }[];
    expect(reflection.slice(-3).map((m) => m.role)).toEqual(['assistant', 'tool', 'user']);
  });

  it('fails the turn, naming the skills the card has, when the named skill is not there', async () => {
    const runId = await env.client.start(caller('planner', [{ card: cardUrl, skill: 'translate' }]), 'Go.');
    await expect(env.client.result(runId)).rejects.toThrow(/has no skill "translate" \(its skills: "review"\)/);
  });
});
