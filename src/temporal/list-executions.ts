import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';

/** An execution as listed, and whether its memo could be read by this process. */
export type ListedExecution = WorkflowExecutionInfo & { memoUnreadable: boolean };

const PAGE_SIZE = 100;

/**
 * Executions matching a visibility query, newest first, like `client.workflow.list()`, except that
 * one whose memo this process cannot decode (encrypted with a key it lacks, or written by a newer
 * codec) is listed without its memo instead of ending the listing: the other runs still show.
 * `pageSize`: executions asked for per call (a caller wanting one short page asks for that many).
 */
export async function* listExecutions(client: Client, query: string, pageSize = PAGE_SIZE): AsyncGenerator<ListedExecution> {
  const { namespace, loadedDataConverter } = client.options;
  let nextPageToken: Uint8Array | undefined;
  do {
    const response = await client.workflowService.listWorkflowExecutions({
      namespace,
      query,
      pageSize: Math.min(pageSize, 1_000),
      nextPageToken,
    });
    for (const raw of response.executions ?? []) {
      try {
        yield { ...(await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace)), memoUnreadable: false };
      } catch {
        yield { ...(await executionInfoFromRaw({ ...raw, memo: null }, loadedDataConverter, raw, namespace)), memoUnreadable: true };
      }
    }
    nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
  } while (nextPageToken);
}
