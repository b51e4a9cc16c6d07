import type { TeamClient } from '../../src/temporal/team-client';

/**
 * A workflow's history as text with every payload decoded. `fetchHistory()` keeps payload data
 * base64-encoded, so a plain search of it would miss a secret written in plaintext; tests that
 * check "no secret in history" search this instead.
 */
export async function historyText(client: TeamClient, workflowId: string): Promise<string> {
  const history = await client.client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, function (this: Record<string, unknown>, key: string, value: unknown) {
    if (key !== 'data' || typeof value !== 'string' || !('metadata' in this)) return value;
    const text = Buffer.from(value, 'base64').toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  });
}
