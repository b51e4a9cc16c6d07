import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { anyOf, external, maxMessages, team, timeout } from '../../src/spec';
import { startScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { closeClient, connectClient } from '../../src/temporal/connection';
import { makeCurrentIfFirst, promoteBuild } from '../../src/temporal/deployments';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { startWebhookReceiver } from '../../src/testing/webhook-receiver';
import { answerSignal } from '../../workflows/definitions';
import { nextRequest } from '../helpers/waiting';
import { HISTORIES_DIR, markedReplies } from './histories';
import { startA2AServer } from '../../src/server/server';
import { testTools } from '../tools/tool-fixtures';

/**
 * Records the histories replay.test.ts replays. Not part of the suite: run it on purpose when
 * workflow code changes compatibly and the fixtures should follow:
 *   RECORD_HISTORIES=1 npx jest test/durability/record-histories
 */
const record = process.env.RECORD_HISTORIES ? it : it.skip;

record(
  'records one history per way a run can go',
  async () => {
    const receiver = await startWebhookReceiver();
    // Every reply marked (see REPLY_MARK), so history-text-once.test.ts can count each one's text.
    const marked = (agents: Record<string, Parameters<typeof markedReplies>[1]>) =>
      Object.fromEntries(Object.entries(agents).map(([agent, replies]) => [agent, markedReplies(agent, replies)]));
    const model = await startScriptedModelServer({
      script: {
        agents: {
          ...marked({
            ...REVIEW_SCRIPT.agents,
            quick: ['quick'],
            // Tools: two calls at once (one needs approval, one fails then succeeds), then a reflection.
            toolUser: [
              {
                toolCalls: [
                  { name: 'send_email', arguments: { to: 'ana@example.com', body: 'Hi' } },
                  { name: 'flaky', arguments: {} },
                ],
              },
              'done',
            ],
            planner: [
              { toolCalls: [{ name: 'transfer_to_user', arguments: {} }], content: 'Which tone?' },
              'unused',
              { toolCalls: [{ name: 'transfer_to_writer', arguments: {} }] },
            ],
            writer: ['draft one', 'draft two'],
            asker: [{ toolCalls: [{ name: 'review', arguments: { message: 'Check it.' } }] }, 'reviewed'],
            // A tool's output and a person's answers carried across continue-as-new.
            forecaster: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] }, 'sunny, then', 'noted', 'noted again'],
          }),
          slow: { replies: markedReplies('slow', ['slow']), latencyMs: 1_500 },
          // A remote participant's turn that only a cancellation ends.
          sluggish: { replies: markedReplies('sluggish', ['sluggish']), latencyMs: 30_000 },
        },
        selector: ['writer', ['nobody', 'researcher'], ['a', 'b', 'c']],
        failures: [{ status: 401, agent: 'broken' }],
      },
    });
    const fixtures = testTools();
    const env = await startTestWorker({
      model: { baseUrl: model.baseUrl },
      tools: fixtures.tools,
      speakerFunctions: { selectors: { writerFirst: ({ lastSpeaker }) => (lastSpeaker === null ? 'writer' : null) } },
    });
    const { client } = env;
    for (const old of readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'))) rmSync(join(HISTORIES_DIR, old));
    const save = async (name: string, runId: string) => {
      for await (const info of client.client.workflow.list({ query: `WorkflowId = '${runId}' AND WorkflowType = 'teamRun'` })) {
        const history = await client.client.workflow.getHandle(runId, info.runId).fetchHistory();
        const suffix = info.status.name === 'CONTINUED_AS_NEW' ? `-${info.runId.slice(0, 8)}` : '';
        writeFileSync(join(HISTORIES_DIR, `${name}${suffix}.json`), historyToJSON(history));
      }
    };
    const pair = (termination = maxMessages(6)) =>
      team('pair')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('quick', { description: 'Quick.' })
        .agent('slow', { description: 'Slow.' })
        .terminateWhen(termination)
        .build();
    try {
      const finish = async (runId: string) => client.result(runId).catch(() => undefined);

      let id = await client.start(reviewTeam(), 'Write a note.', { runId: 'round-robin-approved' });
      await finish(id);
      await save('round-robin-approved', id);

      const selectorTeam = team('pick')
        .selector({ maxAttempts: 3 })
        .model({ model: 'scripted' })
        .agent('researcher', { description: 'Facts.' })
        .agent('writer', { description: 'Drafts.' })
        .agent('reviewer', { description: 'Reviews.' })
        .terminateWhen(maxMessages(4))
        .build();
      id = await client.start(selectorTeam, 'Plan.', { runId: 'selector-with-fallback' });
      await finish(id);
      await save('selector-with-fallback', id);

      id = await client.start(pair(timeout('1s')), 'Go.', { runId: 'timeout-interrupts-turn' });
      await finish(id);
      await save('timeout-interrupts-turn', id);

      id = await client.start(pair(anyOf(maxMessages(20), external())), 'Go.', { runId: 'stop-requested' });
      await client.stop(id, 'recorded');
      await finish(id);
      await save('stop-requested', id);

      id = await client.start(pair(), 'Go.', { runId: 'canceled-mid-turn' });
      for await (const event of client.follow(id)) if (event.type === 'turn_started' && event.speaker === 'slow') break;
      await client.cancel(id);
      await finish(id);
      await save('canceled-mid-turn', id);

      const broken = team('broken')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('quick', { description: 'Quick.' })
        .agent('broken', { description: 'Fails.' })
        .terminateWhen(maxMessages(6))
        .build();
      id = await client.start(broken, 'Go.', { runId: 'failed-unauthorized' });
      await finish(id);
      await save('failed-unauthorized', id);

      // Three executions: the middle one begins from carried records and carries records on.
      id = await client.start(reviewTeam(), 'Write a note.', { runId: 'continued-as-new', options: { continueAsNewAfterTurns: 2 } });
      await finish(id);
      await save('continued-as-new', id);

      // Continue-as-new carrying what the store holds besides replies: a tool's output, people's answers.
      const carrying = team('carrying')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('forecaster', { description: 'Checks the weather.', tools: [{ name: 'get_weather' }], reflectOnToolUse: true })
        .human('person', { description: 'A person.' })
        .terminateWhen(maxMessages(8))
        .build();
      id = await client.start(carrying, 'Plan a walk.', {
        runId: 'continued-as-new-people-tools',
        options: { continueAsNewAfterTurns: 2 },
      });
      for await (const event of client.follow(id)) {
        if (event.type === 'input_requested')
          await client.answer(id, { requestId: event.request.requestId, action: 'input', text: `answer to ${event.request.requestId}` });
      }
      await finish(id);
      await save('continued-as-new-people-tools', id);

      // A person in the loop: a human turn answered by update and by signal (one refused first),
      // a handoff, approvals of every kind, a deadline, webhook notifications.
      const people = team('people')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('quick', { description: 'Quick.' })
        .human('person', { description: 'A person.' })
        .handoff({ phrase: 'quick' })
        .terminateWhen(maxMessages(6))
        .notify({ webhook: receiver.url })
        .build();
      id = await client.start(people, 'Go.', { runId: 'human-turns-handoff-notify' });
      const handle = client.client.workflow.getHandle(id);
      let request = await nextRequest(client, id);
      await client.answer(id, { action: 'input', text: 'handoff reply' });
      request = await nextRequest(client, id, request.seq);
      await handle.signal(answerSignal, { requestId: 'req-99', action: 'input', text: 'stale' });
      await handle.signal(answerSignal, { requestId: request.requestId, action: 'input', text: 'by signal' });
      request = await nextRequest(client, id, request.seq);
      await client.answer(id, { action: 'input', text: 'by update' });
      await finish(id);
      await save('human-turns-handoff-notify', id);

      const gated = (approval: Parameters<ReturnType<typeof team>['approval']>[0]) =>
        team('gated')
          .roundRobin()
          .model({ model: 'scripted' })
          .agent('quick', { description: 'Quick.' })
          .terminateWhen(maxMessages(3))
          .approval(approval)
          .build();
      id = await client.start(gated({}), 'Go.', { runId: 'approval-changes-then-approve' });
      request = await nextRequest(client, id);
      await client.answer(id, { action: 'request_changes', text: 'again' });
      await nextRequest(client, id, request.seq);
      await client.answer(id, { action: 'approve', text: 'fine' });
      await finish(id);
      await save('approval-changes-then-approve', id);

      id = await client.start(gated({}), 'Go.', { runId: 'approval-rejected' });
      await nextRequest(client, id);
      await client.answer(id, { action: 'reject', text: 'no' });
      await finish(id);
      await save('approval-rejected', id);

      id = await client.start(gated({ timeout: { after: '1s', action: 'approve' } }), 'Go.', { runId: 'approval-deadline' });
      await finish(id);
      await save('approval-deadline', id);

      // A2A push notifications: a config given at the start, another added and one deleted while
      // the run waits; each state change starts a delivery child workflow per config.
      const push = (id: string) => ({ id, url: `${receiver.url}/${id}`, token: null, authentication: null });
      id = await client.start(gated({}), 'Go.', { runId: 'a2a-push-configs', pushConfigs: [push('first')] });
      request = await nextRequest(client, id);
      await client.changePushConfigs(id, { op: 'set', config: push('second') });
      await client.changePushConfigs(id, { op: 'delete', id: 'first' });
      await client.answer(id, { action: 'approve' });
      await finish(id);
      await save('a2a-push-configs', id);

      const toolUser = team('tooling')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('toolUser', {
          description: 'Uses tools.',
          tools: [
            { name: 'send_email', approval: true },
            { name: 'flaky', retry: { initialInterval: '100ms' } },
          ],
          reflectOnToolUse: true,
        })
        .terminateWhen(maxMessages(2))
        .build();
      id = await client.start(toolUser, 'Go.', { runId: 'tools-approval-retry' });
      await nextRequest(client, id);
      await client.answer(id, { action: 'approve' });
      await finish(id);
      await save('tools-approval-retry', id);

      const swarm = team('swarm')
        .pattern('swarm')
        .model({ model: 'scripted' })
        .agent('planner', { description: 'Plans.', handoffs: ['writer', 'user'] })
        .agent('writer', { description: 'Writes.', handoffs: ['planner'] })
        .terminateWhen(maxMessages(12))
        .maxTurns(4)
        .build();
      id = await client.start(swarm, 'Go.', { runId: 'swarm-handoff-user' });
      await nextRequest(client, id);
      await client.answer(id, { action: 'input', text: 'friendly' });
      await finish(id);
      await save('swarm-handoff-user', id);

      const nesting = team('nesting')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('quick', { description: 'Quick.' })
        .nested('reviewers', { description: 'A team.', team: reviewTeam() })
        .terminateWhen(maxMessages(3))
        .build();
      id = await client.start(nesting, 'Go.', { runId: 'nested-team' });
      await finish(id);
      await save('nested-team', id);

      // A nested team with a person: its question is answered on the outer run, and then stopped from it.
      const withPerson = team('with-person')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('writer', { description: 'Drafts.' })
        .human('editor', { description: 'Checks.' })
        .terminateWhen(maxMessages(4))
        .build();
      const nestingAsks = team('nesting-asks')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('quick', { description: 'Quick.' })
        .nested('writers', { description: 'A team with a person.', team: withPerson })
        .terminateWhen(maxMessages(3))
        .build();
      id = await client.start(nestingAsks, 'Go.', { runId: 'nested-question' });
      const nestedQuestion = await nextRequest(client, id);
      await client.answer(id, { requestId: nestedQuestion.requestId, action: 'input', text: 'Shorter.' });
      await finish(id);
      await save('nested-question', id);
      id = await client.start(nestingAsks, 'Go.', { runId: 'nested-stop' });
      await nextRequest(client, id);
      await client.stop(id, 'enough');
      await finish(id);
      await save('nested-stop', id);

      const chosen = team('chosen')
        .selector({ function: 'writerFirst' })
        .model({ model: 'scripted' })
        .agent('researcher', { description: 'Facts.' })
        .agent('writer', { description: 'Drafts.' })
        .agent('reviewer', { description: 'Reviews.' })
        .terminateWhen(maxMessages(3))
        .build();
      id = await client.start(chosen, 'Plan.', { runId: 'selector-function' });
      await finish(id);
      await save('selector-function', id);

      // A follow-up in a context: it begins with the first task's conversation, by reference.
      const solo = team('solo')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('quick', { description: 'Quick.' })
        .terminateWhen(maxMessages(2))
        .build();
      const inContext = { contextId: 'context-recorded', continueContext: {} };
      await finish(await client.start(solo, 'First.', { runId: 'context-first', ...inContext }));
      id = await client.start(solo, 'And then?', { runId: 'context-follow-up', ...inContext });
      await finish(id);
      await save('context-follow-up', id);

      // A remote A2A participant: our own review team behind the A2A front end.
      const sluggish = team('sluggish')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('sluggish', { description: 'Slow.' })
        .terminateWhen(maxMessages(2))
        .build();
      const front = await startA2AServer({
        teams: [reviewTeam(), sluggish],
        client,
        port: 0,
        version: 'record',
        tokens: null,
        secrets: null,
      });
      try {
        const calling = team('calling')
          .roundRobin()
          .model({ model: 'scripted' })
          .agent('quick', { description: 'Quick.' })
          .remote('reviewers', {
            description: 'Over A2A.',
            card: `${front.teamUrls.review}.well-known/agent-card.json`,
            pollInterval: '100ms',
          })
          .terminateWhen(maxMessages(3))
          .build();
        id = await client.start(calling, 'Go.', { runId: 'remote-participant' });
        await finish(id);
        await save('remote-participant', id);

        const asking = team('asking')
          .roundRobin()
          .model({ model: 'scripted' })
          .agent('asker', {
            description: 'Asks.',
            tools: [{ card: `${front.teamUrls.review}.well-known/agent-card.json` }],
            reflectOnToolUse: true,
          })
          .terminateWhen(maxMessages(2))
          .build();
        id = await client.start(asking, 'Go.', { runId: 'remote-tool' });
        await finish(id);
        await save('remote-tool', id);

        // Cancelled while a remote participant works: the run waits for its call to cancel the remote task.
        const callingSlow = team('calling-slow')
          .roundRobin()
          .model({ model: 'scripted' })
          .agent('quick', { description: 'Quick.' })
          .remote('sluggish', { description: 'Over A2A, slowly.', card: `${front.teamUrls.sluggish}.well-known/agent-card.json` })
          .terminateWhen(maxMessages(3))
          .build();
        id = await client.start(callingSlow, 'Go.', { runId: 'canceled-mid-remote-call' });
        for await (const event of client.follow(id)) if (event.type === 'turn_started' && event.speaker === 'sluggish') break;
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // the remote task is under way
        await client.cancel(id);
        await finish(id);
        await save('canceled-mid-remote-call', id);
      } finally {
        await front.close();
      }
    } finally {
      await env.stop();
      await model.close();
      await receiver.close();
    }
  },
  240_000,
);

/**
 * A fork (see core/fork.ts): its input carries records and counts, no text, and its history holds
 * only the replies of its own turns. Recorded alone with
 *   RECORD_HISTORIES=1 npx jest test/durability/record-histories -t fork
 * (the whole file re-records every history first).
 */
record(
  'records a fork of a finished run',
  async () => {
    const model = await startScriptedModelServer({
      script: {
        agents: Object.fromEntries(Object.entries(REVIEW_SCRIPT.agents).map(([agent, replies]) => [agent, markedReplies(agent, replies)])),
      },
    });
    const env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    const { client } = env;
    try {
      const source = await client.start(reviewTeam(), 'Write a note.', { runId: `fork-source-${Date.now()}` });
      await client.result(source);
      const id = await client.fork(source, {
        atTurn: 3,
        runId: 'fork-at-turn-3',
        edits: [{ index: 3, text: 'Shorter, please.' }],
        agents: [{ agent: 'writer', field: 'model', value: 'scripted-b' }],
      });
      await client.result(id);
      const history = await client.client.workflow.getHandle(id).fetchHistory();
      writeFileSync(join(HISTORIES_DIR, 'fork-at-turn-3.json'), historyToJSON(history));
    } finally {
      await env.stop();
      await model.close();
    }
  },
  60_000,
);

/**
 * A budgeted run (see core/budget-runtime.ts) that was refused a call, asked a person, took the
 * raise and completed. Recorded alone with
 *   RECORD_HISTORIES=1 npx jest test/durability/record-histories -t budget
 */
record(
  'records a budget request answered with a raise',
  async () => {
    const used = { promptTokens: 100, completionTokens: 50 };
    const replies = (agent: string, ...texts: string[]) =>
      markedReplies(
        agent,
        texts.map((content) => ({ content, usage: used })),
      );
    const model = await startScriptedModelServer({
      script: {
        agents: {
          researcher: replies('researcher', 'fact one', 'fact two'),
          writer: replies('writer', 'draft one', 'draft two'),
          reviewer: replies('reviewer', 'needs work', 'APPROVED'),
        },
      },
    });
    const env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    try {
      const base = reviewTeam();
      const team = { ...base, model: { ...base.model, maxTokens: 100 }, budget: { maxTotalTokens: 400, onExceed: 'ask' as const } };
      const runId = await env.client.start(team, 'Write a note.', { runId: 'budget-ask-raise' });
      await nextRequest(env.client, runId);
      await env.client.answer(runId, { action: 'raise', raise: { maxTotalTokens: 2_000 }, by: 'ana' });
      const { snapshot } = await env.client.result(runId);
      expect(snapshot.spend?.totalTokens).toBe(900);
      const history = await env.client.client.workflow.getHandle(runId).fetchHistory();
      writeFileSync(join(HISTORIES_DIR, 'budget-ask-raise.json'), historyToJSON(history));
    } finally {
      await env.stop();
      await model.close();
    }
  },
  60_000,
);

/**
 * A run that moves to a new build while a person is asked (workflows/build-move.ts): two workers
 * of one deployment, the second build promoted while the run waits. Two executions: the first
 * ends in continue-as-new at the wait, the second takes the same request up and completes.
 */
record(
  'records a run that moves to a new build while it waits',
  async () => {
    const model = await startScriptedModelServer({ script: { agents: { writer: markedReplies('writer', ['a draft']) } } });
    const taskQueue = uniqueTaskQueue('moved');
    const deployment = `recorded-${taskQueue}`;
    const raw = await connectClient(testTemporalAddress(), 'default');
    const workers = [
      await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl }, deployment: { name: deployment, buildId: 'A' } }),
    ];
    try {
      await makeCurrentIfFirst(raw, deployment, 'A');
      const client = workers[0]!.client;
      const waits = team('moves')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('writer', { description: 'Writes.' })
        .human('editor', { description: 'Edits.' })
        .terminateWhen(maxMessages(4))
        .approval()
        .build();
      const runId = await client.start(waits, 'Write a note.', { runId: 'moved-while-waiting' });
      const turn = await nextRequest(client, runId);
      workers.push(await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl }, deployment: { name: deployment, buildId: 'B' } }));
      await promoteBuild(raw, deployment, 'B');
      for (;;) {
        const { raw: described } = await raw.workflow.getHandle(runId).describe();
        if (described.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId === 'B') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await client.answer(runId, { action: 'input', text: 'Shorter, please.' });
      await client.answer(runId, { action: 'approve', requestId: (await nextRequest(client, runId, turn.seq)).requestId });
      expect((await client.result(runId)).snapshot.status).toBe('completed');
      for await (const info of raw.workflow.list({ query: `WorkflowId = '${runId}'` })) {
        const history = await raw.workflow.getHandle(runId, info.runId).fetchHistory();
        const suffix = info.status.name === 'CONTINUED_AS_NEW' ? `-${info.runId.slice(0, 8)}` : '';
        writeFileSync(join(HISTORIES_DIR, `moved-while-waiting${suffix}.json`), historyToJSON(history));
      }
    } finally {
      for (const worker of workers) await worker.stop();
      await closeClient(raw);
      await model.close();
    }
  },
  60_000,
);

/**
 * A run started with the run search attributes (see src/visibility/run-attributes.ts): it asks a
 * person, is approved and completes, upserting its state at each change. Recorded alone with
 *   RECORD_HISTORIES=1 npx jest test/durability/record-histories -t search
 */
record(
  'records a run that keeps its search attributes',
  async () => {
    const model = await startScriptedModelServer({
      script: {
        agents: Object.fromEntries(Object.entries(REVIEW_SCRIPT.agents).map(([agent, replies]) => [agent, markedReplies(agent, replies)])),
      },
    });
    const env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    try {
      const team = { ...reviewTeam(), approval: { prompt: 'Publish the draft?' } };
      const runId = await env.client.start(team, 'Write a note.', { runId: 'search-attributes-approval', contextId: 'ctx-recorded' });
      await nextRequest(env.client, runId);
      await env.client.answer(runId, { action: 'approve', by: 'ana' });
      await env.client.result(runId);
      const history = await env.client.client.workflow.getHandle(runId).fetchHistory();
      expect(history.events?.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length).toBeGreaterThanOrEqual(3);
      writeFileSync(join(HISTORIES_DIR, 'search-attributes-approval.json'), historyToJSON(history));
    } finally {
      await env.stop();
      await model.close();
    }
  },
  60_000,
);
