import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { A2AService } from '@a2a-js/sdk/server/grpc';
import { randomUUID } from 'node:crypto';
import { AgentCard, TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, type CallInterceptor, type Client } from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { ClientFactory as V03ClientFactory } from 'a2a-sdk-v03/client';
import { GrpcTransportFactory as V03GrpcTransportFactory } from 'a2a-sdk-v03/client/grpc';
import { bearerTokens } from '../../src/access/auth';
import { DEFAULT_MAX_BODY_BYTES, startA2AServer } from '../../src/server/server';
import { targetPolicy } from '../../src/http/outbound-target';
import { loadTeamFile } from '../../src/files/team-file';
import type { TeamSpec } from '../../src/spec/team';
import { reviewTeam, ROOT } from '../helpers/teams';
import { LIST_ALL, TOKENS, TO_APPROVAL_SCRIPT, bearerInterceptor, grpcFailure } from './callers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

/**
 * The gRPC binding (A2A v1.0 §10, and v0.3 beside it), through the SDK's own gRPC clients: one
 * endpoint for every team, the request's tenant naming the team (the card's GRPC interface says
 * which), with the HTTP bindings' tokens, task scoping and push-config checks.
 */
const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

const UNAUTHENTICATED = 16;
const NOT_FOUND = 5;
const CANCELLED = 1;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;
const stateOf = (event: StreamResponse) =>
  event.payload?.$case === 'task' || event.payload?.$case === 'statusUpdate' ? event.payload.value.status?.state : undefined;

describe('A2A over gRPC (A2A v1.0 §10)', () => {
  let env: A2AEnv;
  const cards: Record<string, AgentCard> = {};
  /** Clients made from the root card alone (so they reach the first team, `review`). */
  const root: Record<string, Client> = {};
  /** Clients of the approval team, from its card (the SDK's client sends the card's tenant). */
  const approval: Record<string, Client> = {};

  const clientFrom = (url: string, ...interceptors: CallInterceptor[]) =>
    new ClientFactory({
      transports: [new GrpcTransportFactory()],
      preferredTransports: ['GRPC'],
      clientConfig: { interceptors },
    }).createFromUrl(url);

  beforeAll(async () => {
    const tokens = bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`, `carol:operator=${TOKENS.carol}`], 'test');
    env = await startA2AEnv([reviewTeam(), approvalTeam()], TO_APPROVAL_SCRIPT, {
      tokens,
      grpcPort: 0,
      webhookPolicy: targetPolicy(['127.0.0.1']),
    });
    for (const [team, url] of Object.entries(env.server.teamUrls)) {
      const response = await fetch(`${url}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
      cards[team] = AgentCard.fromJSON(await response.json());
    }
    for (const [name, token] of Object.entries(TOKENS)) {
      root[name] = await clientFrom(env.server.url, bearerInterceptor(token));
      approval[name] = await clientFrom(env.server.teamUrls['review-approval']!, bearerInterceptor(token));
    }
  });
  afterAll(() => env?.stop());

  test('every card declares the one gRPC endpoint, its team as the tenant; only the first team offers v0.3 over it', () => {
    const target = env.server.grpcTarget;
    expect(target).toMatch(/^127\.0\.0\.1:\d+$/);
    const grpcOf = (team: string) =>
      cards[team]!.supportedInterfaces.filter((i) => i.protocolBinding === 'GRPC').map((i) => [i.url, i.tenant, i.protocolVersion]);
    expect(grpcOf('review')).toEqual([
      [target, 'review', '1.0'],
      [target, 'review', '0.3'],
    ]);
    expect(grpcOf('review-approval')).toEqual([[target, 'review-approval', '1.0']]);
  });

  test('the v0.3 card lists the gRPC interface too', async () => {
    const card = (await (await fetch(`${env.server.url}/.well-known/agent-card.json`)).json()) as {
      additionalInterfaces?: { url: string; transport: string }[];
    };
    expect(card.additionalInterfaces).toContainEqual({ url: env.server.grpcTarget, transport: 'GRPC' });
  });

  test('a client made from the root card alone sends a message and gets the completed task; GetTask and ListTasks agree', async () => {
    const task = (await root.alice!.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.id).toMatch(/^review-(?!approval)/);
    const again = await root.alice!.getTask({ tenant: '', id: task.id, historyLength: undefined });
    expect(again.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const listed = await root.alice!.listTasks(LIST_ALL);
    expect(listed.tasks.map((t) => t.id)).toContain(task.id);
  });

  test("SendStreamingMessage streams the task's events to its end", async () => {
    const events: StreamResponse[] = [];
    for await (const event of root.alice!.sendMessageStream(sendParams(userMessage('Write another note.')))) events.push(event);
    expect(stateOf(events[0]!)).toBe(TaskState.TASK_STATE_SUBMITTED);
    expect(stateOf(events.at(-1)!)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(events.some((e) => e.payload?.$case === 'artifactUpdate')).toBe(true);
  });

  describe("the approval team, reached from its card (the card's tenant names it)", () => {
    let task: Task;
    beforeAll(async () => {
      task = (await approval.alice!.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    });

    test('its run waits for approval, and the first team does not know the task', async () => {
      expect(task.id).toMatch(/^review-approval-/);
      expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
      const elsewhere = await grpcFailure(root.alice!.getTask({ tenant: '', id: task.id, historyLength: undefined }));
      expect(elsewhere.code).toBe(NOT_FOUND);
    });

    test('SubscribeToTask streams the live task until the client lets go', async () => {
      const gone = new AbortController();
      const seen: StreamResponse[] = [];
      const letGo = await grpcFailure(
        (async () => {
          for await (const event of approval.alice!.resubscribeTask({ tenant: '', id: task.id }, { signal: gone.signal })) {
            seen.push(event);
            gone.abort();
          }
        })(),
      );
      expect(letGo.code).toBe(CANCELLED); // the SDK's client says so when its signal aborts the call
      expect(stateOf(seen[0]!)).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    });

    test('push configs are created, listed, read and deleted, with the HTTP bindings’ checks', async () => {
      const config = { tenant: '', id: 'grpc-hook', taskId: task.id, url: 'http://127.0.0.1:9/hook', token: '', authentication: undefined };
      const created = await approval.alice!.createTaskPushNotificationConfig(config);
      expect(created.url).toBe(config.url);
      const listed = await approval.alice!.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 0, pageToken: '' });
      expect(listed.configs.map((c) => c.id)).toContain('grpc-hook');
      await approval.alice!.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: 'grpc-hook' });
      // An inward address that the policy does not allow is refused here as over HTTP.
      const inward = await grpcFailure(approval.alice!.createTaskPushNotificationConfig({ ...config, url: 'http://10.0.0.1/hook' }));
      expect(inward.text).toMatch(/10\.0\.0\.1/);
    });

    test("bob cannot see alice's task: NOT_FOUND, as for a task that does not exist; carol, an operator, can", async () => {
      const theirs = await grpcFailure(approval.bob!.getTask({ tenant: '', id: task.id, historyLength: undefined }));
      const nobodys = await grpcFailure(
        approval.bob!.getTask({ tenant: '', id: `review-approval-${randomUUID()}`, historyLength: undefined }),
      );
      expect(theirs.code).toBe(NOT_FOUND);
      expect(nobodys.code).toBe(NOT_FOUND);
      expect(theirs.text.replace(task.id, 'ID')).toBe(nobodys.text.replace(/review-approval-[0-9a-f-]+/, 'ID'));
      expect((await approval.bob!.listTasks(LIST_ALL)).tasks.map((t) => t.id)).not.toContain(task.id);
      expect((await approval.carol!.getTask({ tenant: '', id: task.id, historyLength: undefined })).id).toBe(task.id);
    });

    test('CancelTask cancels the run', async () => {
      const canceled = await approval.alice!.cancelTask({ tenant: '', id: task.id, metadata: undefined });
      expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    });
  });

  test('a call with no token, or a wrong one, is UNAUTHENTICATED and does not echo the token', async () => {
    const anonymous = await clientFrom(env.server.url);
    const wrong = await clientFrom(env.server.url, bearerInterceptor('not-a-token-of-ours-1234'));
    const none = await grpcFailure(anonymous.getTask({ tenant: '', id: 'review-x', historyLength: undefined }));
    const bad = await grpcFailure(wrong.sendMessage(sendParams(userMessage('hello'))));
    const badStream = await grpcFailure(
      (async () => {
        for await (const _ of wrong.sendMessageStream(sendParams(userMessage('hello')))) void _;
      })(),
    );
    expect([none.code, bad.code, badStream.code]).toEqual([UNAUTHENTICATED, UNAUTHENTICATED, UNAUTHENTICATED]);
    expect(`${bad.text} ${badStream.text}`).not.toContain('not-a-token-of-ours');
  });

  test('a request larger than the HTTP body limit is refused as RESOURCE_EXHAUSTED, before any handler reads it', async () => {
    const tooBig = await grpcFailure(root.alice!.sendMessage(sendParams(userMessage('x'.repeat(DEFAULT_MAX_BODY_BYTES + 1)))));
    expect(tooBig.code).toBe(RESOURCE_EXHAUSTED);
  });

  test('an A2A-Version the endpoint does not speak is UNIMPLEMENTED, as the spec maps VersionNotSupportedError (§5.4)', async () => {
    // The SDK's client always sends its own version, so this call is made with grpc-js and the SDK's service descriptor.
    const Raw = grpc.makeGenericClientConstructor(A2AService, 'A2AService');
    const raw = new Raw(env.server.grpcTarget!, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${TOKENS.alice}`);
    metadata.set('a2a-version', '99.0');
    const request = { tenant: '', id: 'review-x', historyLength: undefined };
    type Raw = {
      getTask(req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null) => void): void;
      subscribeToTask(req: unknown, md: grpc.Metadata): grpc.ClientReadableStream<unknown>;
    };
    const calls = raw as unknown as Raw;
    const unary = await new Promise<grpc.ServiceError | null>((resolve) => calls.getTask(request, metadata, resolve));
    const streamed = await new Promise<grpc.ServiceError>((resolve) =>
      calls
        .subscribeToTask({ tenant: '', id: 'review-x' }, metadata)
        .on('error', resolve)
        .on('data', () => undefined),
    );
    raw.close();
    expect([unary?.code, streamed.code]).toEqual([grpc.status.UNIMPLEMENTED, grpc.status.UNIMPLEMENTED]);
    expect(unary?.details).toContain('99.0');
  });

  test('a tenant that names no team is NOT_FOUND, naming it', async () => {
    const failure = await grpcFailure(root.alice!.getTask({ tenant: 'no-such-team', id: 'review-x', historyLength: undefined }));
    expect(failure.code).toBe(NOT_FOUND);
    expect(failure.text).toContain('no-such-team');
  });

  test('a v0.3 client (the 0.3 SDK, gRPC preferred) reaches the first team from its v0.3 card', async () => {
    const client = await new V03ClientFactory({ transports: [new V03GrpcTransportFactory()], preferredTransports: ['GRPC'] }).createFromUrl(
      env.server.url,
    );
    const result = await client.sendMessage(
      { message: { kind: 'message', messageId: randomUUID(), role: 'user', parts: [{ kind: 'text', text: 'Write a note.' }] } },
      { serviceParameters: { authorization: `Bearer ${TOKENS.alice}` } },
    );
    expect(result).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    const id = (result as { id: string }).id;
    const fetched = await client.getTask({ id }, { serviceParameters: { authorization: `Bearer ${TOKENS.alice}` } });
    expect(fetched.status.state).toBe('completed');
  });

  test('closing the server ends its gRPC event streams and shuts the endpoint down', async () => {
    const server = await startA2AServer({
      teams: [approvalTeam()],
      client: env.worker.client,
      port: 0,
      grpcPort: 0,
      version: '0.0.0-test',
      tokens: null,
      secrets: null,
    });
    const client = await clientFrom(server.url);
    const task = (await client.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    const seen: StreamResponse[] = [];
    let closed: Promise<void> | undefined;
    const following = (async () => {
      for await (const event of client.resubscribeTask({ tenant: '', id: task.id })) {
        seen.push(event);
        closed ??= server.close({ graceMs: 60_000 });
      }
    })();
    // The stream ends (however the client words it) instead of following the waiting run forever.
    await following.catch(() => undefined);
    await closed;
    expect(stateOf(seen[0]!)).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const after = await grpcFailure(client.getTask({ tenant: '', id: task.id, historyLength: undefined }));
    expect(after.code).toBe(UNAVAILABLE);
    await env.worker.client.client.workflow.getHandle(task.id).cancel();
  });
});
