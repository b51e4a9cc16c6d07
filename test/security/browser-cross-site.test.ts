import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TaskState, type Task } from '@a2a-js/sdk';
import { chromium, type Browser } from 'playwright-core';
import type { RequestLogLine } from '../../src/server/request-log';
import { loadTeamFile } from '../../src/files/team-file';
import { chromiumPath } from '../../src/testing/chromium';
import { ROOT } from '../helpers/teams';
import { eventually } from '../cli/cli-helpers';
import { TO_APPROVAL_SCRIPT } from '../a2a/callers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';

const TEAM = 'review-approval';

/**
 * A page on another origin, as a person would open one: it sends `fetch(<target>, { method:
 * 'POST', mode: 'no-cors' })` to the URL its query names (with a JSON-RPC body when asked), and
 * says in its title when the browser is done with it. No-cors needs nobody's leave.
 */
const PAGE = `<!doctype html><title></title><script>
  const [target, body] = JSON.parse(new URLSearchParams(location.search).get('call'));
  fetch(target, { method: 'POST', mode: 'no-cors', ...(body ? { body, headers: { 'content-type': 'text/plain' } } : {}) })
    .then(() => { document.title = 'sent'; }, (err) => { document.title = 'failed ' + err; });
</script>`;

/**
 * The attack of issue 29, played by chromium: with auth off, a page elsewhere cancelled a run on
 * the person's own front end; and under a name of the attacker's re-pointed at 127.0.0.1 (DNS
 * rebinding, played by chromium's host resolver rules) it could read and act as the console.
 */
describe('chromium on a page of another site, against a front end without auth', () => {
  let env: A2AEnv;
  let browser: Browser;
  let elsewhere: Server;
  let elsewhereUrl: string;
  const requests: RequestLogLine[] = [];
  let waiting: Task;

  beforeAll(async () => {
    env = await startA2AEnv([loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'))], TO_APPROVAL_SCRIPT, {
      requestLog: (line) => requests.push(line),
    });
    waiting = (await (await env.clientFor(TEAM)).sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    elsewhere = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--no-proxy-server', '--host-resolver-rules=MAP attacker.example 127.0.0.1'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => elsewhere?.close(resolve));
    await env?.stop();
  });

  it('a no-cors POST to cancel or stop the run, or to JSON-RPC CancelTask, reaches the front end and is refused; the run still waits', async () => {
    const teamUrl = env.server.teamUrls[TEAM]!;
    const rpc = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tasks/cancel', params: { id: waiting.id } });
    const targets: [string, string | null][] = [
      [`${env.server.url}/console/api/runs/${waiting.id}/cancel`, null],
      [`${env.server.url}/console/api/runs/${waiting.id}/stop`, null],
      [`${teamUrl}a2a/jsonrpc`, rpc],
      [`${teamUrl}a2a/rest/v1/tasks/${waiting.id}:cancel`, null],
    ];
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      for (const [target, body] of targets) {
        const seen = requests.length;
        await page.goto(`${elsewhereUrl}?call=${encodeURIComponent(JSON.stringify([target, body]))}`);
        await page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title !== '');
        expect(await page.title()).toBe('sent');
        // The browser sent it, with its Origin: refused before any route saw it (logged once the answer is out).
        const path = new URL(target).pathname;
        await eventually(async () => expect(requests.slice(seen).map((r) => [r.method, r.path, r.status])).toEqual([['POST', path, 403]]));
      }
    } finally {
      await context.close();
    }
    expect(await env.worker.client.executionStatus(waiting.id)).toBe('RUNNING');
    expect((await env.worker.client.peek(waiting.id)).status).toBe('input-required');
  });

  it('under a name of the attacker’s re-pointed at 127.0.0.1, the console page and its API answer 403 naming the Host', async () => {
    const port = new URL(env.server.url).port;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(`http://attacker.example:${port}/console/`);
      expect(response?.status()).toBe(403);
      const api = await page.evaluate(async (id) => {
        const res = await fetch(`/console/api/runs/${id}`);
        return { status: res.status, text: await res.text() };
      }, waiting.id);
      expect(api.status).toBe(403);
      expect(api.text).toContain(`Host \\"attacker.example:${port}\\" is not a name this front end answers`);
      expect(api.text).not.toContain('Write a note.');
    } finally {
      await context.close();
    }
  });
});
