import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { defaultLiveChannel } from '../../src/site/default-channel';
import { maxMessages, parseTeamSpec } from '../../src/spec';
import { ConversationStore } from '../../src/store/conversation-store';
import { closeClient, connectClient } from '../../src/temporal/connection';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, type TestWorker } from '../../src/testing/temporal-env';
import { CountingBackend, countingChannel } from './counting';

const TURNS = 10;

/**
 * What a plain run of TURNS turns (two agents, no tools, no budget, memory or subscribers) costs,
 * counted: change a figure here on purpose, and say why in the commit. Per turn: one workflow task
 * and one model activity; the store's body and record of its message; one live `done`.
 */
const EXPECTED = {
  // Counted by what completes: a workflow task timed out on a loaded machine and given again is one.
  history: {
    // Each turn's activity completes into a workflow task; the first task starts the run.
    workflowTasks: TURNS + 1,
    activities: { agentTurn: TURNS },
    // `patched` markers, each recorded once per run, not per turn.
    markers: 6,
    // The run's search attributes (state, waiting, updated-at), as its status moves.
    searchAttributeUpserts: 7,
    // Its read model (workflows/read-model.ts): one memo upsert per step that changed the run (each
    // turn, its start and its end), which is how every read is answered without a query.
    memoUpserts: 12,
  },
  // The task's message and each turn's, each a body and a record; nothing read back while running.
  store: { putBodies: TURNS + 1, getBodies: 0, putRecords: TURNS + 1, getRecords: 0 },
  // Each model call's preview ends once; its deltas are however the model's stream was cut.
  live: { types: ['delta', 'done'], done: TURNS },
};

/**
 * Counts, not timings, of what one plain run makes the server, the store and the live channel do
 * (issue 38's "what lasts"): they do not flake, and a change that adds a workflow task, an upsert
 * or a store round trip to every turn fails here, before any benchmark would notice.
 */
describe(`what a plain ${TURNS}-turn run costs, counted`, () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let raw: Client;
  const backend = new CountingBackend();
  const live = countingChannel(defaultLiveChannel());

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: { ping: ['ping says hi'], pong: ['pong says hi'] } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, store: new ConversationStore(backend), live });
    raw = await connectClient(testTemporalAddress(), 'default');
  });
  afterAll(async () => {
    await env?.stop();
    if (raw) await closeClient(raw);
    await model?.close();
    await live.close();
  });

  it('history events, workflow tasks, activities, upserts, store round trips and live items', async () => {
    const team = parseTeamSpec({
      name: 'counted',
      pattern: 'round_robin',
      model: { model: 'scripted' },
      agents: [
        { name: 'ping', description: 'Says ping.' },
        { name: 'pong', description: 'Says pong.' },
      ],
      termination: maxMessages(TURNS + 1),
    });
    const runId = await env.client.start(team, 'Go.');
    // Waited for on Temporal alone: the client's own reads of the store are not the run's.
    await raw.workflow.getHandle(runId).result();
    const store = { ...backend.counts };
    const events = (await raw.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const count = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
    const T = temporal.api.enums.v1.EventType;
    const activities: Record<string, number> = {};
    for (const e of events) {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (name) activities[name] = (activities[name] ?? 0) + 1;
    }
    expect({
      history: {
        workflowTasks: count(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
        activities,
        markers: count(T.EVENT_TYPE_MARKER_RECORDED),
        searchAttributeUpserts: count(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
        memoUpserts: count(T.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED),
      },
      store,
      live: { types: Object.keys(live.byType).sort(), done: live.byType.done ?? 0 },
    }).toEqual(EXPECTED);
  });
});
