import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createPushActivities, type PushDelivery } from '../../../activities/push';
import { createWebhookActivities, type WebhookDelivery } from '../../../activities/webhook';
import type { ConversationStore } from '../../../src/store/conversation-store';

/** A receiver on 127.0.0.1 that counts connections, so a test can prove none was made. */
async function countingReceiver(status = 200) {
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = status;
      if (status === 307) res.setHeader('location', 'http://169.254.169.254/latest/meta-data');
      res.end();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const webhook = (url: string): WebhookDelivery => ({
  v: 1,
  url,
  tokenEnv: null,
  body: {
    idempotencyKey: 'run-1/notify/1',
    event: 'finished',
    runId: 'run-1',
    team: 't',
    status: 'completed',
    pendingInput: null,
    stopReason: null,
    error: null,
    at: new Date(0).toISOString(),
  },
});
const push = (url: string): PushDelivery => ({
  v: 1,
  config: { id: 'c', url, token: null, authentication: null },
  idempotencyKey: 'run-1/push/c/1',
  body: { statusUpdate: {} },
});

async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('the delivery succeeded; a failure was expected');
}

describe('delivery refuses inward receivers before connecting (A2A §13.2)', () => {
  // Failures are the point here; the activity logger would print each one.
  const activity = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR', () => undefined) });
  const noAllowlist = { DURABLE_TEAMS_WEBHOOK_ALLOW: '' };
  const store = {} as ConversationStore; // v1 deliveries carry their body: the store is not read

  it('a team-file webhook at a loopback address or a name resolving there fails for good, no connection made', async () => {
    const receiver = await countingReceiver();
    try {
      const { notifyWebhook } = createWebhookActivities(noAllowlist);
      for (const url of [`http://127.0.0.1:${receiver.port}/hook`, `http://localhost:${receiver.port}/hook`]) {
        const failure = await failureOf(activity.run(notifyWebhook, webhook(url)));
        expect(failure).toMatchObject({ type: 'WebhookRefused', nonRetryable: true });
        expect(failure.message).toMatch(
          /^webhook http:\/\/(127\.0\.0\.1|localhost):\d+\/hook refused: (resolves to )?.*a loopback address/,
        );
      }
      expect(receiver.connections()).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('a push config stored before the rule (or by a front end allowing more) is refused at delivery', async () => {
    const receiver = await countingReceiver();
    try {
      const { pushNotification } = createPushActivities(store, noAllowlist);
      const failure = await failureOf(activity.run(pushNotification, push(`http://[::ffff:127.0.0.1]:${receiver.port}/p`)));
      expect(failure).toMatchObject({ type: 'PushRefused', nonRetryable: true });
      expect(failure.message).toContain('IPv4-mapped 127.0.0.1), a loopback address');
      // Addresses never connected to at all, refused all the same:
      for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/x', 'http://[fe80::1]/x']) {
        expect(await failureOf(activity.run(pushNotification, push(url)))).toMatchObject({ type: 'PushRefused', nonRetryable: true });
      }
      expect(receiver.connections()).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('an allowlisted loopback receiver is delivered to; its redirect (to a link-local address) is not followed', async () => {
    const ok = await countingReceiver(204);
    const redirecting = await countingReceiver(307);
    try {
      const { notifyWebhook } = createWebhookActivities({ DURABLE_TEAMS_WEBHOOK_ALLOW: '127.0.0.1' });
      await activity.run(notifyWebhook, webhook(`http://127.0.0.1:${ok.port}/hook`));
      expect(ok.connections()).toBe(1);
      const failure = await failureOf(activity.run(notifyWebhook, webhook(`http://127.0.0.1:${redirecting.port}/hook`)));
      expect(failure).toMatchObject({ type: 'WebhookRejected', nonRetryable: true });
      expect(failure.message).toContain('answered 307 (a redirect, not followed)');
    } finally {
      await ok.close();
      await redirecting.close();
    }
  });
});
