import { get } from 'node:http';
import type { ListTasksRequest } from '@a2a-js/sdk';
import { TaskState } from '@a2a-js/sdk';
import type { CallInterceptor } from '@a2a-js/sdk/client';

/** How tests call as a token holder, over HTTP and gRPC, and what they read back. */

/** Two callers and an operator: `bearerTokens([\`alice=${TOKENS.alice}\`, …, \`carol:operator=…\`])`. */
export const TOKENS = {
  alice: 'alice-token-6f1d0c93b2a84e57',
  bob: 'bob-token-0e7a51c4d9b3f286',
  carol: 'carol-token-93c2b8e1f0a4d765',
};

/** review-approval.yaml's team straight to its approval: every task waits on a person at once. */
export const TO_APPROVAL_SCRIPT = { agents: { researcher: ['facts'], writer: ['a draft'], reviewer: ['APPROVED'] } };

/** fetch with `Authorization: Bearer <token>`, as a client given the token calls. */
export const withBearer =
  (token: string): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };

/** The SDK client's interceptor that sends the token as `authorization` metadata (gRPC) or header. */
export const bearerInterceptor = (token: string): CallInterceptor => ({
  async before(args) {
    args.options = { ...args.options, serviceParameters: { ...args.options?.serviceParameters, authorization: `Bearer ${token}` } };
  },
  async after() {},
});

/** The gRPC status code a failed call carried, however the SDK's client wrapped it. */
export async function grpcFailure(call: Promise<unknown>): Promise<{ code: number | undefined; text: string }> {
  try {
    await call;
  } catch (err) {
    // The SDK's gRPC client throws its A2A errors with the call's status code as `status`.
    const e = err as { status?: number; message: string };
    return { code: e.status, text: e.message };
  }
  throw new Error('the call succeeded; a gRPC error was expected');
}

/** ListTasks with every field at its default: all of the caller's tasks, one page of 100. */
export const LIST_ALL: ListTasksRequest = {
  tenant: '',
  contextId: '',
  status: TaskState.TASK_STATE_UNSPECIFIED,
  pageSize: 100,
  pageToken: '',
  historyLength: 0,
  statusTimestampAfter: undefined,
  includeArtifacts: false,
};

/** A plain GET's status, by node:http (fetch would add Cache-Control: no-cache to a conditional request). */
export function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** The data of each event of an SSE body, its `data:` lines joined. */
export function sseData(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((block) =>
      block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('\n'),
    )
    .filter((data) => data.length > 0);
}
