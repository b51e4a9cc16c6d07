import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { startA2AEnv, type A2AEnv } from './a2a-env';

/** The HTTP statuses A2A §5.4 gives errors over HTTP+JSON, where the SDK's defaults differ. */
describe('A2A over HTTP+JSON: error statuses and card headers', () => {
  let env: A2AEnv;
  let rest: string;
  const v1 = { 'A2A-Version': '1.0', 'content-type': 'application/json' };
  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT);
    rest = `${env.server.teamUrls.review}a2a/rest`;
  });
  afterAll(() => env?.stop());

  it('answers a body that is not JSON with 415 and ErrorInfo', async () => {
    const response = await fetch(`${rest}/message:send`, {
      method: 'POST',
      headers: { 'A2A-Version': '1.0', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { details: [{ reason: 'CONTENT_TYPE_NOT_SUPPORTED' }] } });
  });

  it('answers a file of a type not taken with 415, and cancelling an ended task with 409', async () => {
    const zip = Buffer.from('PK').toString('base64');
    const file = { message: { messageId: 'f1', role: 'ROLE_USER', parts: [{ raw: zip, mediaType: 'application/zip' }] } };
    expect((await fetch(`${rest}/message:send`, { method: 'POST', headers: v1, body: JSON.stringify(file) })).status).toBe(415);

    const send = { message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'Write a note.' }] } };
    const sent = (await (await fetch(`${rest}/message:send`, { method: 'POST', headers: v1, body: JSON.stringify(send) })).json()) as {
      task: { id: string; status: { state: string } };
    };
    expect(sent.task.status.state).toBe('TASK_STATE_COMPLETED');
    const cancel = await fetch(`${rest}/tasks/${sent.task.id}:cancel`, { method: 'POST', headers: v1, body: '{}' });
    expect(cancel.status).toBe(409);
    expect(await cancel.json()).toMatchObject({ error: { details: [{ reason: 'TASK_NOT_CANCELABLE' }] } });
    // Deleting a push config of an ended task is done already: success, twice.
    for (let i = 0; i < 2; i += 1) {
      const deleted = await fetch(`${rest}/tasks/${sent.task.id}/pushNotificationConfigs/nope`, { method: 'DELETE', headers: v1 });
      expect(deleted.status).toBeLessThan(300);
    }
  });

  it('serves the card with Last-Modified beside ETag and Cache-Control', async () => {
    const card = await fetch(`${env.server.teamUrls.review}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
    expect(card.status).toBe(200);
    expect(Date.parse(card.headers.get('last-modified') ?? '')).not.toBeNaN();
    expect(card.headers.get('etag')).toBeTruthy();
  });
});

describe('A2A over HTTP+JSON: response content type', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT);
  });
  afterAll(() => env?.stop());

  it('answers in application/json (§11.1), and in application/a2a+json to a client that asks for it', async () => {
    const url = `${env.server.teamUrls.review}a2a/rest/tasks/review-no-such-task`;
    const plain = await fetch(url, { headers: { 'A2A-Version': '1.0' } });
    expect(plain.status).toBe(404);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    const asked = await fetch(url, { headers: { 'A2A-Version': '1.0', accept: 'application/a2a+json' } });
    expect(asked.headers.get('content-type')).toMatch(/^application\/a2a\+json/);
  });
});
