import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { connectClient } from '../../src/temporal/connection';

/**
 * What the Temporal server itself stores for a run, read with a client that has no codec: the
 * history's events as the server sends them (bytes and decoded messages) and the run's memo.
 */
export interface RawRun {
  /** Every page of the history, protobuf-encoded as it came over the wire. */
  bytes: Buffer;
  events: temporal.api.history.v1.IHistoryEvent[];
  memo: Record<string, Payload>;
}

/** A client with no data converter of its own: it sees payloads as stored. */
export function plainClient(address: string): Promise<Client> {
  return connectClient(address, 'default');
}

export async function readRawRun(client: Client, workflowId: string): Promise<RawRun> {
  const { GetWorkflowExecutionHistoryResponse } = temporal.api.workflowservice.v1;
  const chunks: Uint8Array[] = [];
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
      nextPageToken,
    });
    chunks.push(GetWorkflowExecutionHistoryResponse.encode(page).finish());
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  const described = await client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
  const memo = (described.workflowExecutionInfo?.memo?.fields ?? {}) as Record<string, Payload>;
  return { bytes: Buffer.concat(chunks), events, memo };
}

const isPayload = (value: object): value is Payload =>
  'metadata' in value && typeof value.metadata === 'object' && value.metadata !== null && 'encoding' in value.metadata;

/** Every payload the codec encodes anywhere in these messages (inputs, results, memo, signal and update arguments...): all but search attributes. */
export function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if (isPayload(value)) {
    found.push(value);
    return found;
  }
  for (const [key, child] of Object.entries(value)) {
    // Search attributes are indexed as written, so no codec encrypts them (see src/visibility/run-attributes.ts);
    // they hold no conversation text, which the byte-level checks (textsFoundIn) prove for the whole history.
    if (key === 'searchAttributes') continue;
    payloadsIn(child, found);
  }
  return found;
}

export const metadataText = (payload: Payload, key: string): string | undefined => {
  const bytes = payload.metadata?.[key];
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
};

/** Which of `texts` occur anywhere in the bytes (payload data sits in them verbatim, so plaintext JSON would show). */
export function textsFoundIn(bytes: Buffer, texts: string[]): string[] {
  return texts.filter((text) => bytes.includes(Buffer.from(text, 'utf8')));
}
