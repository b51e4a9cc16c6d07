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
  let pageToken: Uint8Array | undefined;
  do {
    const page = await executionsPage(client, query, pageSize, pageToken);
    yield* page.executions;
    pageToken = page.nextPageToken;
  } while (pageToken);
}

/**
 * One page of visibility's answer: at most `pageSize` executions after `pageToken` (Temporal's own
 * token, which names the last row listed, so runs started since do not shift the pages).
 */
export async function executionsPage(
  client: Client,
  query: string,
  pageSize: number,
  pageToken?: Uint8Array,
): Promise<{ executions: ListedExecution[]; nextPageToken?: Uint8Array }> {
  const { namespace, loadedDataConverter } = client.options;
  const response = await client.workflowService.listWorkflowExecutions({
    namespace,
    query,
    pageSize: Math.min(pageSize, 1_000),
    nextPageToken: pageToken,
  });
  const executions: ListedExecution[] = [];
  for (const raw of response.executions ?? []) {
    try {
      executions.push({ ...(await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace)), memoUnreadable: false });
    } catch {
      executions.push({ ...(await executionInfoFromRaw(withoutMemo(raw), loadedDataConverter, raw, namespace)), memoUnreadable: true });
    }
  }
  return { executions, ...(response.nextPageToken?.length ? { nextPageToken: response.nextPageToken } : {}) };
}

type RawExecution = Parameters<typeof executionInfoFromRaw>[0];

/**
 * The listed execution with its memo left out. A copy that keeps the message's prototype: fields
 * the server left at their default (a running run's history length) live there, and a plain spread
 * would drop them, failing the SDK's conversion and with it the whole listing.
 */
function withoutMemo(raw: RawExecution): RawExecution {
  return Object.assign(Object.create(Object.getPrototypeOf(raw) as object) as RawExecution, raw, { memo: null });
}
