import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { TeamActivities } from '../activities';
import { carryOver, legacyCarryOver } from '../src/core/carry-over';
import type { RunEvent } from '../src/core/events';
import { eventsAfter, newestMessages, transcriptPage } from '../src/core/paging';
import { RunRecorder } from '../src/core/recorder';
import { snapshotOf, type RunError } from '../src/core/state';
import { startingState } from '../src/core/starting-state';
import { INTERRUPTED, isInterrupted, runTeamLoop, type Interrupted, type LoopOutcome } from '../src/core/team-loop';
import { withBudget, type BudgetedRuntime } from '../src/core/budget-runtime';
import { timeoutDeadlines } from '../src/core/termination';
import type { LlmAgentSpec } from '../src/spec/agent';
import { isLlm, isRemote } from '../src/spec/plain/agent-kinds';
import type { ToolCallRequest, ToolOutcome } from '../src/core/activity-contract';
import { toolSpecFor } from '../src/core/tool-loop';
import { toolEntry } from '../src/spec/plain/tool-entries';
import { activityOptions, DEFAULT_TIMEOUTS, MODEL_CALL_HEARTBEAT } from './activity-options';
import { cancelWaits, runCancellation } from './cancel-waits';
import {
  runEventsQuery,
  runStateQuery,
  runViewQuery,
  pushConfigUpdate,
  pushConfigsQuery,
  stopRunSignal,
  transcriptQuery,
  type TeamRunInput,
  type TeamRunResult,
} from './definitions';
import { humanInput } from './human-input';
import { nestedTeams } from './nested-team';
import { outerRunLink } from './outer-run-link';
import { notifier } from './notifications';
import { pushNotifier } from './push-notifications';
import { applyPushChange, refusePushChange } from '../src/core/push';
import { isTerminal } from '../src/core/status';
import { searchAttributeKeeper } from './search-attribute-keeper';
import { statusMemoKeeper } from './status-memo';
import { readModelPublisher } from './read-model';
import { logLineOf } from '../src/core/log-lines';
import { conversationStore } from './stored-conversation';
import { buildMove } from './build-move';
import { canMoveDuring } from '../src/core/moved-wait';
import { noteStored, type ConversationRef } from '../src/core/stored-messages';

/**
 * A team conversation as a durable workflow. Core decides who speaks and when to stop; each
 * model call is an activity, each wait for a person a durable condition, so a crash loses no
 * completed turn, repeats none in the transcript, and forgets no question asked.
 */
export async function teamRun(input: TeamRunInput): Promise<TeamRunResult> {
  const { team } = input;
  const store = conversationStore();
  const waitsForCancel = cancelWaits();
  const isRunCancellation = waitsForCancel ? runCancellation() : isCancellation;
  // A nested run's task is the outer conversation, which only an activity can read.
  const task =
    !input.state && input.taskFrom && store.enabled
      ? await store.openNestedTask(input.taskFrom)
      : { content: input.task, ref: input.taskRef };
  // A fork begins at its turn N with its kept messages on record (core/fork.ts). No patched():
  // it issues the same commands as any run, and runs before forks have no `fork` in their input.
  const state = startingState(input, workflowInfo().workflowId, Date.now(), task);
  const keepMemo = statusMemoKeeper();
  const readModel = readModelPublisher(state);
  // Every execution publishes in its first step, so a reader can tell it from one begun before the read model.
  readModel.changed();
  const keepSearchAttributes = searchAttributeKeeper(input.searchAttributes === true);
  const notifications = notifier(team, state);
  const pushes = pushNotifier(team, state);
  const outer = outerRunLink(input.parent);
  const onEvent = (event: RunEvent) => {
    // Logged through Temporal's workflow logger: once (not again on replay), with the run id.
    const line = logLineOf(event);
    if (line) log.info(line.message, line.fields);
    if (event.type === 'status_changed') {
      // A run that publishes its read model keeps its status memo there (see read-model.ts).
      if (!readModel.on()) keepMemo(state);
      keepSearchAttributes(state);
    }
    readModel.changed();
    if (event.type === 'termination_reset') armTimeouts();
    notifications.onEvent(event);
    pushes.onEvent(event);
    outer.onEvent(event);
  };
  const run = new RunRecorder(team, state, () => Date.now(), onEvent);

  setHandler(runStateQuery, () => snapshotOf(state));
  setHandler(runEventsQuery, (request) => eventsAfter(state, request?.after ?? 0, request?.limit));
  setHandler(transcriptQuery, (request) => transcriptPage(state, request?.from, request?.limit));
  setHandler(runViewQuery, (request) => ({
    snapshot: snapshotOf(state),
    messages: newestMessages(state.messages, request?.historyLength),
  }));
  setHandler(pushConfigsQuery, () => state.pushConfigs ?? []);
  setHandler(
    pushConfigUpdate,
    (change) => {
      state.pushConfigs = applyPushChange(state.pushConfigs ?? [], change);
      readModel.changed();
      return state.pushConfigs;
    },
    {
      validator: (change) => {
        const refusal = refusePushChange(state.pushConfigs ?? [], change, isTerminal(state.status));
        if (refusal) throw new Error(refusal);
      },
    },
  );
  const nested = nestedTeams(run, store, input.searchAttributes === true);
  setHandler(stopRunSignal, (request) => {
    run.requestStop(request?.reason ?? 'no reason given');
    nested.forwardStop(request?.reason ?? 'no reason given');
    // A run waiting on a person has no turn in flight to finish first: the request counts now.
    if (state.pendingInput) run.checkStopRequest();
  });
  const move = buildMove(team);
  const waitForHuman = humanInput(run, () => run.mustStopWaiting(), nested.forwardAnswer, {
    during: (request) => canMoveDuring(request) && move.wanted(),
    now: (answered) => continueRun(true, answered),
  });

  if (!input.state) run.begin(task.content);

  // A timeout condition holds the moment its time is up, even mid-turn: a durable timer per
  // deadline, counted from the start of the round (the run's start, or the last request for changes).
  const deadlines = timeoutDeadlines(team.termination);
  let stopping: Promise<void> = new Promise(() => undefined);
  function armTimeouts(): void {
    if (deadlines.length === 0) return;
    let stopNow: () => void = () => undefined;
    stopping = new Promise<void>((resolve) => (stopNow = resolve));
    const round = state.roundStartedAt ?? state.startedAt;
    for (const deadline of deadlines) {
      // A timer of an earlier round may still fire: tick() then finds its time not yet up.
      sleep(Math.max(round + deadline - Date.now(), 1))
        .then(() => run.tick() && stopNow())
        .catch(() => undefined); // cancelled with the run
    }
  }
  armTimeouts();

  /** Races a step against a stop; the loser of a lost race is cancelled. */
  async function interruptible<T>(step: () => Promise<T>): Promise<T | Interrupted> {
    const scope = new CancellationScope();
    const pending = scope.run(step);
    const first = await Promise.race([pending.then((value) => ({ value })), stopping.then(() => INTERRUPTED)]);
    if (!isInterrupted(first)) return first.value;
    scope.cancel();
    pending.catch(() => undefined); // its cancellation is expected
    return INTERRUPTED;
  }

  const agents = Object.fromEntries(
    team.agents
      .filter((a) => isLlm(a) || isRemote(a))
      .map((agent) => {
        const heartbeat = isLlm(agent) ? MODEL_CALL_HEARTBEAT : DEFAULT_TIMEOUTS.heartbeat;
        return [agent.name, proxyActivities<TeamActivities>(activityOptions(agent.retry, agent.timeouts, waitsForCancel, heartbeat))];
      }),
  );
  const selector = proxyActivities<TeamActivities>(
    activityOptions(team.selector?.retry, team.selector?.timeouts, waitsForCancel, MODEL_CALL_HEARTBEAT),
  );
  // Selector functions are user code, which may hold the event loop longer than a model call's beat allows.
  const selectorFunctions = proxyActivities<TeamActivities>(activityOptions(team.selector?.retry, team.selector?.timeouts, waitsForCancel));
  const firstTurn = state.turn;
  const everyTurns = input.options?.continueAsNewAfterTurns;

  /**
   * Runs a step that reads the conversation. Its activity wrote the records it carried before
   * anything else, so once it is done they are on record in the store.
   */
  async function reading<T>(conversation: ConversationRef | undefined, step: () => Promise<T>): Promise<T | Interrupted> {
    // Only a timeout stops a run mid-step. Every promise costs the workflow sandbox a captured
    // stack trace, so teams without one call their activities directly, with no race around them.
    const result = deadlines.length === 0 ? await step() : await interruptible(step);
    if (!isInterrupted(result)) noteStored(state, conversation);
    return result;
  }

  const runtime: BudgetedRuntime = {
    agentTurn: (request) => reading(request.conversation, () => agents[request.agent.name]!.agentTurn(request)),
    remoteTurn: (request) => reading(request.conversation, () => agents[request.agent.name]!.remoteAgentTurn(request)),
    toolCall: (request) =>
      reading(undefined, () =>
        callTool(team.agents.find((a) => a.name === request.agent) as LlmAgentSpec, request, waitsForCancel, isRunCancellation),
      ),
    nestedTurn: (request) => reading(request.conversation, () => nested.run(request)),
    customSelection: (request) => reading(request.conversation, () => selectorFunctions.customSelection(request)),
    selectSpeaker: (request) => reading(request.conversation, () => selector.selectSpeaker(request)),
    waitForHuman,
    shouldSuspend: () =>
      workflowInfo().continueAsNewSuggested || move.wanted() || (everyTurns !== undefined && state.turn - firstTurn >= everyTurns),
  };

  /**
   * Ends this execution and goes on in a new one with the run's state: onto the current build
   * when `moving`. Queries, signals and updates in flight finish first, so none is lost; `stayIf`
   * is asked after them (a wait stays for an answer that came meanwhile).
   */
  async function continueRun(moving: boolean, stayIf: () => boolean = () => false): Promise<void> {
    await Promise.all([notifications.flush(), pushes.flush(), outer.flush()]);
    await condition(allHandlersFinished);
    if (stayIf()) return;
    const carried = store.enabled ? carryOver(state, input.options?.carry) : legacyCarryOver(state, input.options?.carry);
    return move.continueAsNew({ ...input, task: store.enabled ? '' : input.task, state: carried }, moving);
  }

  let outcome: LoopOutcome;
  try {
    outcome = await runTeamLoop(team, run, withBudget(team, run, runtime));
  } catch (err) {
    // A move while waiting ends this execution from inside the loop: that is no failure.
    if (err instanceof ContinueAsNew) throw err;
    if (isRunCancellation(err)) {
      run.cancel();
      // The records go to the store even as the run is cancelled: its transcript stays whole.
      await CancellationScope.nonCancellable(() =>
        Promise.all([notifications.flush(), pushes.flush(), outer.flush(), store.storeRest(state)]),
      );
      throw err;
    }
    const error = runErrorOf(err);
    run.fail(error);
    await Promise.all([notifications.flush(), pushes.flush(), outer.flush(), store.storeRest(state)]);
    // The snapshot rides in the failure's details, so `status` can show a failed run with no worker up.
    throw ApplicationFailure.create({
      message: error.message,
      type: error.type ?? 'TeamRunFailed',
      nonRetryable: true,
      details: [store.snapshot(state)],
    });
  }
  // Outside the try: continue-as-new ends this execution by throwing, which must not count as a failure.
  if (outcome === 'suspended') await continueRun(move.wanted());
  await Promise.all([notifications.flush(), pushes.flush(), outer.flush()]);
  await store.storeRest(state);
  return store.result(team, state);
}

/** Failures that are the deployment's, not the tool's: the run fails rather than telling the model. */
const FATAL_TOOL_FAILURES = new Set(['ToolNotRegistered', 'InvalidActivityInput', 'RemoteAgentConfig']);

/**
 * One tool call as an activity with the tool's own retry policy and timeouts. A call that fails
 * for good (its retries spent, the remote refused) goes back to the model as an error result.
 */
async function callTool(
  agent: LlmAgentSpec,
  request: ToolCallRequest,
  waitsForCancel: boolean,
  isRunCancellation: (err: unknown) => boolean,
): Promise<ToolOutcome> {
  const spec = toolSpecFor(agent, request.call);
  // An MCP tool's policy is its server's (the request carries the server as the team file has it).
  const entry = request.mcp ?? (spec ? toolEntry(spec) : undefined);
  const activities = proxyActivities<TeamActivities>(activityOptions(entry?.retry, entry?.timeouts, waitsForCancel));
  try {
    return request.call.route.kind === 'a2a' ? await activities.callRemoteTool(request) : await activities.callTool(request);
  } catch (err) {
    if (isRunCancellation(err)) throw err;
    const failure = runErrorOf(err);
    if (failure.type && FATAL_TOOL_FAILURES.has(failure.type)) throw err;
    return { v: 1, content: `the tool failed: ${failure.message}`, isError: true };
  }
}

/** The innermost failure says what really went wrong (an activity failure wraps the model's). */
function runErrorOf(err: unknown): RunError {
  let failure = err as { message?: string; type?: string; cause?: unknown };
  while (failure?.cause && typeof failure.cause === 'object') failure = failure.cause as typeof failure;
  return { message: failure?.message ?? String(err), type: failure?.type ?? null };
}
