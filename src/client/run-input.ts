import type { Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { TeamRunInput } from '../../workflows/definitions';

/**
 * The input of a run's current execution, from the first event of its history (one page of one
 * event, however long the run). Every execution's input carries the team (continue-as-new passes
 * it on), so this is where a fork finds the team it starts from. Payloads go through the client's
 * converter: a codec's encryption is undone as for any read.
 */
export async function readRunInput(client: Client, runId: string): Promise<TeamRunInput> {
  const { namespace, loadedDataConverter } = client.options;
  const page = await client.workflowService.getWorkflowExecutionHistory({
    namespace,
    execution: { workflowId: runId },
    maximumPageSize: 1,
  });
  const started = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`run "${runId}": its history has no start event to read its team from`);
  return decodeFromPayloadsAtIndex<TeamRunInput>(loadedDataConverter, 0, started.input?.payloads);
}
