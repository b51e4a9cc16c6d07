import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { trimStallMessage, type RunStall } from '../core/stall';

export type { RunStall } from '../core/stall';
export { stallReason } from '../core/stall';

/**
 * The attempt from which a run counts as stalled: its workflow task has failed (or timed out)
 * twice in a row. One failure is often transient (a worker killed mid-task); two are not. The
 * server draws the same line: from the third attempt on it refuses queries to the run
 * ("Workflow Task in failed state"), so the run's own view cannot be had anyway.
 */
export const STALL_ATTEMPT = 3;

/** History events read from the end when looking for the failure; they are usually the last few. */
const HISTORY_PAGE = 50;
const MAX_PAGES = 2;

const { EventType, WorkflowTaskFailedCause, TimeoutType, WorkflowExecutionStatus } = temporal.api.enums.v1;

/** What of describe's answer a stall is read from: the run's status, its pending workflow task, its execution. */
export type StallView = Pick<WorkflowExecutionDescription, 'status' | 'raw' | 'runId'>;

/** The pending workflow task's attempt when it says the run is stalled, else null. Pure, from describe's raw answer. */
export function stalledAttempts(description: Pick<StallView, 'status' | 'raw'>): number | null {
  if (description.status.name !== 'RUNNING') return null;
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  return attempt >= STALL_ATTEMPT ? attempt : null;
}

/**
 * Describe's answer as far as a stall needs it, without decoding the memo: a process that lacks
 * the run's payload key (a CLI listing stalled runs) can still tell that the run is stalled.
 */
export async function describeForStall(handle: WorkflowHandle): Promise<StallView> {
  const raw = await handle.client.workflowService.describeWorkflowExecution({
    namespace: handle.client.options.namespace,
    execution: { workflowId: handle.workflowId },
  });
  const code = raw.workflowExecutionInfo?.status ?? WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED;
  return {
    status: { code, name: WorkflowExecutionStatus[code]!.replace('WORKFLOW_EXECUTION_STATUS_', '') },
    raw: raw as StallView['raw'],
    runId: raw.workflowExecutionInfo?.execution?.runId ?? '',
  } as StallView;
}

/**
 * Is the run stalled, and why? One describe (or none, given its answer); history is read, from
 * its end, only for a run that is stalled. Temporal writes only the first failure of a streak to
 * history (retries of a failing task are not recorded), so `since` and the message are that
 * first failure's: the retries fail the same way unless the workers changed meanwhile.
 */
export async function readStall(handle: WorkflowHandle, described?: StallView): Promise<RunStall | null> {
  const description = described ?? (await handle.describe());
  const attempts = stalledAttempts(description);
  if (attempts === null) return null;
  try {
    const failure = await lastTaskFailure(handle, description.runId);
    return failure
      ? { attempts, ...failure }
      : {
          attempts,
          since: null,
          cause: 'WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED',
          message: 'its failure is not in the last events of its history',
        };
  } catch (err) {
    // The stall itself is certain; only its reason could not be read. Say so rather than fail the caller.
    return {
      attempts,
      since: null,
      cause: 'WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED',
      message: trimStallMessage(`its failure could not be read: ${(err as Error).message}`),
    };
  }
}

type TaskFailure = Omit<RunStall, 'attempts'>;

/** The newest WORKFLOW_TASK_FAILED or _TIMED_OUT event of the run's current execution, read backwards. */
async function lastTaskFailure(handle: WorkflowHandle, runId: string): Promise<TaskFailure | null> {
  const { workflowService, options } = handle.client;
  let nextPageToken: Uint8Array | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await workflowService.getWorkflowExecutionHistoryReverse({
      namespace: options.namespace,
      execution: { workflowId: handle.workflowId, runId },
      maximumPageSize: HISTORY_PAGE,
      nextPageToken,
    });
    for (const event of response.history?.events ?? []) {
      const since = optionalTsToMs(event.eventTime);
      const at = since === undefined ? null : new Date(since).toISOString();
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
        const attributes = event.workflowTaskFailedEventAttributes;
        return {
          since: at,
          cause: WorkflowTaskFailedCause[attributes?.cause ?? 0],
          message: trimStallMessage(await failureMessage(handle, attributes?.failure)),
        };
      }
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
        const timeout = TimeoutType[event.workflowTaskTimedOutEventAttributes?.timeoutType ?? 0];
        return { since: at, cause: 'WORKFLOW_TASK_TIMED_OUT', message: `the workflow task timed out (${timeout})` };
      }
    }
    nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
    if (!nextPageToken) break;
  }
  return null;
}

/** The failure's message through the client's converter, so a codec that encodes messages is undone. */
async function failureMessage(handle: WorkflowHandle, failure: temporal.api.failure.v1.IFailure | null | undefined): Promise<string> {
  if (!failure) return 'no failure was recorded';
  try {
    const error = await decodeOptionalFailureToOptionalError(handle.client.options.loadedDataConverter, failure);
    return error?.message || failure.message || 'the failure has no message';
  } catch {
    return failure.message || 'the failure could not be decoded';
  }
}
