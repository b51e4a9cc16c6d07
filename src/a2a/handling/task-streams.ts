import type { StreamResponse, SubscribeToTaskRequest } from '@a2a-js/sdk';
import { UnsupportedOperationError } from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { Caller } from '../../access/caller';
import { statusJson } from '../../core/a2a-json';
import { isTerminal } from '../../core/status';
import { recordedSeqOf } from '../../http/sse-event-ids';
import { bridgeEvents } from '../event-bridge';
import { streamResponse, taskOfReport, viewOfReport } from '../task-view';
import { callerInContext } from './call-context';
import { idsOf, taskEvent } from './stream-parts';
import type { TeamTasks } from './team-tasks';

/** SubscribeToTask: a task's events from now, or from where the client lost its stream. */
export class TaskStreams {
  constructor(private readonly tasks: TeamTasks) {}

  async *resubscribe(params: SubscribeToTaskRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    const caller = callerInContext(context);
    const resumeAfter = recordedSeqOf(caller.lastEventId);
    if (resumeAfter !== null) {
      yield* this.resume(params.id, resumeAfter, caller);
      return;
    }
    let report = await this.tasks.report(params.id, caller);
    if (isTerminal(report.status))
      throw new UnsupportedOperationError(`task ${params.id} has ended (${report.status}); read it with GetTask`);
    yield taskEvent(taskOfReport(report, { ...this.tasks.mapping }));
    // With no worker up, the run's event numbers are unknown: wait for one, then go on from now.
    while (!report.snapshot && !caller.gone.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      report = await this.tasks.readReport(params.id, 0);
      if (report.snapshot)
        yield streamResponse({
          statusUpdate: {
            taskId: report.runId,
            contextId: viewOfReport(report).contextId,
            status: statusJson(viewOfReport(report), this.tasks.people),
          },
        });
    }
    if (caller.gone.aborted || !report.snapshot) return;
    yield* bridgeEvents(this.tasks.client, {
      runId: report.runId,
      contextId: viewOfReport(report).contextId,
      ...this.tasks.mapping,
      after: report.snapshot.lastEventSeq,
      signal: caller.gone,
      ...idsOf(caller),
    });
  }

  /**
   * A stream picked up where the client lost it (its `Last-Event-ID`): the task as it stands, with
   * no history (the client has it), then every recorded event after the one it saw — the end of
   * the task too, should it have ended in between.
   */
  private async *resume(taskId: string, after: number, caller: Caller): AsyncGenerator<StreamResponse> {
    const report = await this.tasks.report(taskId, caller, 0);
    const view = viewOfReport(report);
    yield taskEvent(taskOfReport(report, { historyLength: 0, ...this.tasks.mapping }));
    const last = report.snapshot?.lastEventSeq;
    if (isTerminal(report.status) && (last === undefined || after >= last)) return; // it saw the end already
    yield* bridgeEvents(this.tasks.client, {
      runId: report.runId,
      contextId: view.contextId,
      ...this.tasks.mapping,
      after,
      signal: caller.gone,
      ...idsOf(caller),
    });
  }
}
