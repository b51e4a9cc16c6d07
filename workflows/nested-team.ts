import { ApplicationFailure, getExternalWorkflowHandle, log, patched, setHandler, startChild } from '@temporalio/workflow';
import type { HumanAnswer, PendingInput } from '../src/core/human';
import { nestedQuestionDraft } from '../src/core/human-requests';
import { nestedOutcome, NestedTeamFailure, type NestedRejected } from '../src/core/nested-outcome';
import type { RunRecorder } from '../src/core/recorder';
import { initialRunSearchAttributes } from '../src/visibility/run-attributes';
import { initialRunMemo } from '../src/visibility/run-memo';
import type { ModelReply, NestedTurnRequest } from '../src/core/activity-contract';
import { isTerminal } from '../src/core/status';
import {
  answerSignal,
  nestedQuestionSignal,
  nestedSettledSignal,
  stopRunSignal,
  TEAM_RUN_WORKFLOW,
  type TeamRunInput,
  type TeamRunResult,
} from './definitions';
import type { WorkflowConversationStore } from './stored-conversation';

/**
 * The marker of the change that links a nested run to its outer run (questions shown on the
 * outer run, stops passed down). Runs begun before it replay as they ran: unlinked.
 */
export const NESTED_QUESTIONS_PATCH = 'nested-questions';

/** The outer run's side of its nested teams: running them, and showing and answering their questions. */
export interface NestedTeams {
  /** A nested team's turn: the inner run's final answer, or its rejection. */
  run(request: NestedTurnRequest): Promise<ModelReply | NestedRejected>;
  /** Sends a person's answer to the inner run whose question it is. */
  forwardAnswer(pending: PendingInput, answer: HumanAnswer): Promise<void>;
  /** The outer run is asked to stop: its inner runs stop too, after their turn in flight. */
  forwardStop(reason: string): void;
}

/**
 * The inner team runs as a child workflow, its id fixed by the turn, so a replay or a retried
 * workflow task finds the same child. Cancelling the outer run cancels the inner one; a failed
 * inner run fails the outer turn. While it runs, a question the inner run asks a person is shown
 * on the outer run as its own (the outer run's task goes input-required), and the answer given
 * there is passed back to the inner run, which applies it.
 */
export function nestedTeams(run: RunRecorder, store: WorkflowConversationStore, searchAttributes: boolean): NestedTeams {
  /** Linked inner runs in flight, by run id: the participant each one is. */
  const linked = new Map<string, string>();

  setHandler(nestedQuestionSignal, ({ runId, request }) => {
    const agent = linked.get(runId);
    if (!agent || isTerminal(run.state.status)) return;
    if (run.state.pendingInput) {
      log.warn('a nested run asked while this run waits on another question; answer it on the nested run', { nestedRunId: runId });
      return;
    }
    run.requestInput(nestedQuestionDraft(agent, runId, request));
  });
  setHandler(nestedSettledSignal, ({ runId, requestId, reason }) =>
    run.settleForwarded(runId, requestId, `settled in the nested run: ${reason}`),
  );

  return {
    async run(request) {
      const link = patched(NESTED_QUESTIONS_PATCH);
      const contextId = `${request.runId}/${request.agent}`;
      const input: TeamRunInput = {
        v: 1,
        team: request.team,
        // The inner run reads its task from this run's conversation: no text in either input.
        task: '',
        taskFrom: { conversation: request.conversation, send: request.send },
        contextId,
        ...(link ? { parent: { runId: request.runId, agent: request.agent } } : {}),
        // An outer run with search attributes found them registered: its inner runs get theirs too.
        ...(searchAttributes ? { searchAttributes: true as const } : {}),
      };
      // Known before the child starts: its first question may arrive in the same activation.
      if (link) linked.set(request.childRunId, request.agent);
      try {
        const child = await startChild(TEAM_RUN_WORKFLOW, {
          workflowId: request.childRunId,
          args: [input],
          memo: initialRunMemo(request.team.name, contextId),
          ...(searchAttributes
            ? { typedSearchAttributes: initialRunSearchAttributes(request.team.name, contextId, null, new Date()) }
            : {}),
        });
        const result = (await child.result()) as TeamRunResult;
        const said = result.answer !== undefined ? (result.answer ? [result.answer] : []) : result.messages;
        return nestedOutcome(request.agent, request.team, request.childRunId, result.snapshot, await store.whole(request.childRunId, said));
      } catch (err) {
        if (err instanceof NestedTeamFailure) throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      } finally {
        linked.delete(request.childRunId);
        run.settleForwarded(request.childRunId, null, 'the nested run ended');
      }
    },

    async forwardAnswer(pending, answer) {
      const forward = pending.forward!;
      await getExternalWorkflowHandle(forward.runId).signal(answerSignal, { ...answer, requestId: forward.requestId });
    },

    forwardStop(reason) {
      for (const runId of linked.keys()) {
        getExternalWorkflowHandle(runId)
          .signal(stopRunSignal, { reason: `the outer run is stopping: ${reason}` })
          .catch((err: Error) => log.warn('could not pass the stop on to a nested run', { nestedRunId: runId, error: err.message }));
      }
    },
  };
}
