import { setTimeout as sleep } from 'node:timers/promises';
import { historyText } from '../helpers/history-text';
import { maxMessages, team } from '../../src/spec';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/testing/webhook-receiver';
import { nextRequest } from '../helpers/waiting';

describe('webhook notifications out of a run', () => {
  let env: TestWorker;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // The receiver is on 127.0.0.1, which the suite's allowlist names (see test/setup).
    env = await startTestWorker({
      env: { HOOK_TOKEN: 'hook-secret-42', DURABLE_TEAMS_WEBHOOK_ALLOW: process.env.DURABLE_TEAMS_WEBHOOK_ALLOW },
    });
  });
  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  it('tells the webhook when the run waits and when it ends, retrying a receiver that is down', async () => {
    receiver = await startWebhookReceiver({ failFirst: 3 });
    const notified = team('notified')
      .roundRobin()
      .human('person', { description: 'Answers.' })
      .terminateWhen(maxMessages(2))
      .notify({ webhook: receiver.url, tokenEnv: 'HOOK_TOKEN' })
      .build();
    const runId = await env.client.start(notified, 'Go.');
    const request = await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'input', text: 'here' });
    await env.client.result(runId); // the run does not wait for the deliveries

    const deadline = Date.now() + 60_000;
    while (receiver.delivered().length < 2 && Date.now() < deadline) await sleep(100);
    const delivered = receiver.delivered() as {
      event: string;
      idempotencyKey: string;
      runId: string;
      status: string;
      pendingInput: { requestId: string } | null;
    }[];
    expect(delivered.map((d) => d.event).sort()).toEqual(['finished', 'input-required']);
    const waiting = delivered.find((d) => d.event === 'input-required')!;
    expect(waiting).toMatchObject({ runId, status: 'input-required', pendingInput: { requestId: request.requestId } });
    expect(delivered.find((d) => d.event === 'finished')).toMatchObject({ runId, status: 'completed' });

    // Every attempt of one notification carries the same key, in the body and the header.
    expect(receiver.calls.length).toBe(5);
    for (const call of receiver.calls) {
      const body = call.body as { idempotencyKey: string };
      expect(call.headers['idempotency-key']).toBe(body.idempotencyKey);
      expect(call.headers.authorization).toBe('Bearer hook-secret-42');
    }
    expect(new Set(receiver.calls.map((c) => (c.body as { idempotencyKey: string }).idempotencyKey)).size).toBe(2);
    // The token is named in the run's history, never written there.
    const history = await historyText(env.client, runId);
    expect(history).toContain('HOOK_TOKEN');
    expect(history).not.toContain('hook-secret-42');
  }, 90_000);
});
