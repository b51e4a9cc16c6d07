import { join } from 'node:path';
import { TaskState, type Part, type Task, type TaskPushNotificationConfig } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { bearerTokens } from '../../src/access/auth';
import { loadTeamFile } from '../../src/files/team-file';
import { targetPolicy } from '../../src/http/outbound-target';
import { ROOT } from '../helpers/teams';
import { TO_APPROVAL_SCRIPT, TOKENS, withBearer } from '../a2a/callers';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';

const TEAM = 'review-approval';

/** Aimed inward by a name and by addresses (no name that needs a DNS server: tests talk to loopback only). */
const INWARD = ['http://localhost:1/x', 'http://10.0.0.1/x', 'http://[::1]:9/x'];

const notAllowed = (field: string, url: string) =>
  `${field}: ${url} is not an allowed target: give a URL whose host is public (the server's operator may allow others with DURABLE_TEAMS_WEBHOOK_ALLOW)`;

/**
 * A refused push or file URL tells a caller that it is not an allowed target, and no more: what an
 * internal name resolves to (`http://vm/` → 127.0.0.1) maps the network for whoever asks. An
 * operator still hears why.
 */
describe('refused push and file URLs, told to callers and to operators', () => {
  let env: A2AEnv;
  const clients: Record<string, Client> = {};

  beforeAll(async () => {
    const tokens = bearerTokens([`bob=${TOKENS.bob}`, `carol:operator=${TOKENS.carol}`], 'test');
    env = await startA2AEnv([loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'))], TO_APPROVAL_SCRIPT, {
      tokens,
      webhookPolicy: targetPolicy([]),
    });
    for (const name of ['bob', 'carol'] as const) {
      const transport = new JsonRpcTransportFactory({ fetchImpl: withBearer(TOKENS[name]) });
      clients[name] = await new ClientFactory({ transports: [transport] }).createFromUrl(env.server.teamUrls[TEAM]!);
    }
  });
  afterAll(() => env?.stop());

  const pushConfig = (url: string, taskId = ''): TaskPushNotificationConfig => ({
    tenant: '',
    id: 'hook',
    taskId,
    url,
    token: '',
    authentication: undefined,
  });
  const filePart = (url: string): Part => ({
    content: { $case: 'url', value: url },
    metadata: undefined,
    filename: 'a.png',
    mediaType: 'image/png',
  });

  it('tells bob only that a push URL sent with a message is not an allowed target, the same for each', async () => {
    for (const url of INWARD) {
      const withPush = sendParams(userMessage('Write a note.'), { taskPushNotificationConfig: pushConfig(url) });
      const err = await a2aError(clients.bob!.sendMessage(withPush));
      expect([url, err.code, err.message]).toEqual([url, -32602, notAllowed('configuration.taskPushNotificationConfig.url', url)]);
    }
  });

  it('tells bob the same of a file URL in a message, and of a push config for his own task', async () => {
    for (const url of INWARD) {
      const message = userMessage('Look at this.');
      message.parts.push(filePart(url));
      const err = await a2aError(clients.bob!.sendMessage(sendParams(message)));
      expect([url, err.code, err.message]).toEqual([url, -32602, notAllowed('message.parts[1].url', url)]);
    }
    const own = (await clients.bob!.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(own.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    for (const url of INWARD) {
      const err = await a2aError(clients.bob!.createTaskPushNotificationConfig(pushConfig(url, own.id)));
      expect([url, err.code, err.message]).toEqual([url, -32602, notAllowed('url', url)]);
    }
  });

  it('tells carol, an operator, why: the address a name resolves to', async () => {
    const why = async (url: string) =>
      (await a2aError(clients.carol!.sendMessage(sendParams(userMessage('Write.'), { taskPushNotificationConfig: pushConfig(url) }))))
        .message;
    expect(await why(INWARD[0]!)).toMatch(/resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(await why(INWARD[1]!)).toContain('is 10.0.0.1, a private address');
    expect(await why(INWARD[2]!)).toContain('is ::1, a loopback address');
  });
});
