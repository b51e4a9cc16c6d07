import { randomUUID } from 'node:crypto';
import { parse as parseDisposition } from 'content-disposition';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { startA2AEnv, type A2AEnv } from '../a2a/a2a-env';

/**
 * Issue 29: what the front end sends back cannot be turned against its readers. A caller's file
 * is always an attachment, never sniffed, in a sandbox with nothing allowed (an HTML or SVG file
 * must not run as the front end's origin); every answer says nosniff and carries its request id;
 * team names are matched exactly; the console's source map is not published.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('responses: downloads, headers, routes (issue 29)', () => {
  let env: A2AEnv;
  let base: string;
  let team: string;

  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT, { files: { maxFileBytes: 4096, mediaTypes: ['*/*'] } });
    base = env.server.url;
    team = env.server.teamUrls.review!;
  });
  afterAll(() => env?.stop());

  const rpc = (method: string, params: unknown, url = `${team}a2a/jsonrpc`) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });

  it('a file of an active type (HTML, XHTML, SVG, XML) downloads as a sandboxed, unsniffed attachment', async () => {
    const files = [
      ['page.html', 'text/html'],
      ['page.xhtml', 'application/xhtml+xml'],
      ['logo.svg', 'image/svg+xml'],
      ['feed.xml', 'text/xml'],
    ];
    const script = Buffer.from('<script>fetch("/console/api/me")</script>').toString('base64');
    const parts = files.map(([filename, mediaType]) => ({ raw: script, mediaType, filename }));
    const sent = await rpc('SendMessage', {
      message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'Look.' }, ...parts] },
      configuration: { returnImmediately: true },
    });
    const taskId = ((await sent.json()) as Json).result.task.id as string;
    for (const [n, [filename, mediaType]] of files.entries()) {
      const response = await fetch(`${team}a2a/files/${taskId}/0/${n}`);
      expect([filename, response.status]).toEqual([filename, 200]);
      expect(response.headers.get('content-type')).toMatch(new RegExp(`^${mediaType!.replace('+', '\\+')}`));
      expect(parseDisposition(response.headers.get('content-disposition')!)).toEqual({ type: 'attachment', parameters: { filename } });
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('every answer says nosniff and gives its request id back: a sane one as sent, else a fresh one', async () => {
    const answers = await Promise.all([
      fetch(`${team}.well-known/agent-card.json`),
      rpc('GetTask', { id: 'review-no-such-task' }),
      fetch(`${team}a2a/rest/tasks/review-no-such-task`, { headers: { 'A2A-Version': '1.0' } }),
      fetch(`${base}/healthz`),
      fetch(`${base}/console/api/me`),
      fetch(`${base}/no/such/route`),
    ]);
    for (const response of answers) {
      expect([response.url, response.headers.get('x-content-type-options')]).toEqual([response.url, 'nosniff']);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const given = await fetch(`${base}/healthz`, { headers: { 'X-Request-Id': 'trace-4711:a.b' } });
    expect(given.headers.get('x-request-id')).toBe('trace-4711:a.b');
    const insane = await fetch(`${base}/healthz`, { headers: { 'X-Request-Id': `x y ${'z'.repeat(200)}` } });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('team names are matched exactly: /teams/Review/ is no team', async () => {
    const right = await rpc('GetTask', { id: 'review-no-such-task' });
    expect(((await right.json()) as Json).error.code).toBe(-32001);
    const paths = [
      '/teams/Review/a2a/jsonrpc',
      '/teams/REVIEW/a2a/rest/tasks',
      '/teams/Review/.well-known/agent-card.json',
      '/teams/Review/a2a/files/x/0/0',
    ];
    for (const path of paths) {
      const response = path.endsWith('jsonrpc')
        ? await rpc('GetTask', { id: 'review-x' }, `${base}${path}`)
        : await fetch(`${base}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
    }
    expect((await fetch(`${base}/Console/api/me`)).status).toBe(404);
  });

  it("the console's page is served without its source map", async () => {
    const script = await fetch(`${base}/console/app.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).not.toMatch(/sourceMappingURL/);
    expect((await fetch(`${base}/console/app.js.map`)).status).toBe(404);
  });
});
