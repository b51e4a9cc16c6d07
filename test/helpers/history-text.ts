import type { TeamClient } from '../../src/client/team-client';

/**
 * A workflow's history as text with every payload decoded. `fetchHistory()` keeps payload data
 * base64-encoded, so a plain search of it would miss a secret written in plaintext; tests that
 * check "no secret in history" search this instead.
 */
export async function historyText(client: TeamClient, workflowId: string): Promise<string> {
  return decodedHistoryText(await client.client.workflow.getHandle(workflowId).fetchHistory());
}

/** A history (fetched, or loaded from a recorded file) as text, every payload's data decoded. */
export function decodedHistoryText(history: unknown): string {
  return JSON.stringify(history, function (this: Record<string, unknown>, key: string, value: unknown) {
    if (key !== 'data' || !('metadata' in this)) return value;
    const text =
      typeof value === 'string'
        ? Buffer.from(value, 'base64').toString('utf8')
        : value instanceof Uint8Array
          ? Buffer.from(value).toString('utf8')
          : null;
    if (text === null) return value;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  });
}
