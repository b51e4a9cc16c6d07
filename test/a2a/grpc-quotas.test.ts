import { join } from 'node:path';
import { TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { bearerTokens } from '../../src/access/auth';
import { loadTeamFile } from '../../src/files/team-file';
import { ROOT } from '../helpers/teams';
import { TOKENS, TO_APPROVAL_SCRIPT, bearerInterceptor, grpcFailure } from './callers';
import { runsOnQueue } from './quota-helpers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

/**
 * gRPC calls come through no HTTP middleware: the same quotas are checked per call, and a refusal
 * is RESOURCE_EXHAUSTED with its message and when to retry, nothing started.
 */
const RESOURCE_EXHAUSTED = 8;

describe('quotas over gRPC', () => {
  let env: A2AEnv;
  let now = Date.parse('2026-12-01T12:00:00Z');
  const client: Record<string, Client> = {};

  beforeAll(async () => {
    env = await startA2AEnv([loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'))], TO_APPROVAL_SCRIPT, {
      tokens: bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`], 'test'),
      grpcPort: 0,
      quotas: { maxRunsPerCaller: 1, maxRequestsPerMinute: 5, clock: () => now },
    });
    for (const [name, token] of Object.entries(TOKENS))
      client[name] = await new ClientFactory({
        transports: [new GrpcTransportFactory()],
        preferredTransports: ['GRPC'],
        clientConfig: { interceptors: [bearerInterceptor(token)] },
      }).createFromUrl(env.server.teamUrls['review-approval']!);
  });
  afterAll(() => env?.stop());

  it('refuses a second run in progress, starting nothing, and counts requests per minute', async () => {
    const first = (await client.alice!.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(first.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const before = (await runsOnQueue(env.worker.client)).length;

    const refused = await grpcFailure(client.alice!.sendMessage(sendParams(userMessage('Write another.'))));
    expect(refused.code).toBe(RESOURCE_EXHAUSTED);
    expect(refused.text).toContain('caller "alice" has 1 runs in progress, its limit (--max-runs-per-caller 1); nothing was started');
    expect((await runsOnQueue(env.worker.client)).length).toBe(before);
    // bob is someone else.
    expect(((await client.bob!.sendMessage(sendParams(userMessage('Write a note.')))) as Task).status?.state).toBe(
      TaskState.TASK_STATE_INPUT_REQUIRED,
    );

    // alice has made 2 requests; 3 more fit in the minute, the next does not.
    for (let i = 0; i < 3; i++) await client.alice!.getTask({ tenant: '', id: first.id, historyLength: 0 });
    const overRate = await grpcFailure(client.alice!.getTask({ tenant: '', id: first.id, historyLength: 0 }));
    expect(overRate.code).toBe(RESOURCE_EXHAUSTED);
    expect(overRate.text).toMatch(
      /caller "alice" is over its limit of 5 requests per minute \(--max-requests-per-minute\); retry after \d+ s/,
    );

    // Two minutes on, the window has passed.
    now += 120_000;
    expect((await client.alice!.getTask({ tenant: '', id: first.id, historyLength: 0 })).id).toBe(first.id);
  });
});
