import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { anyOf, maxMessages, team, textMention } from '../../src/spec';
import type { TeamSpec } from '../../src/spec/team';
import { REVIEW_SCRIPT, REVIEW_TURNS, ROOT, reviewTeam } from '../helpers/teams';
import { nextRequest } from '../helpers/waiting';
import { ALICE, BOB, SHOTS, signIn, startConsoleEnv, type ConsoleEnv } from './console-env';

/** The review team with a person's approval before it completes, and a deadline to count down. */
const approvalTeam = () => ({
  ...reviewTeam(),
  approval: { prompt: 'Publish the draft?', timeout: { after: '1h', action: 'reject' as const } },
});

/**
 * A team that asks a person when its budget runs out: each scripted reply reports 150 tokens and
 * each call reserves 100 for its reply, so 400 tokens let two calls run (300 spent) and the third
 * asks. Raised, the run goes on to "DONE" (four turns, 600 tokens).
 */
const budgetTeam = (): TeamSpec => ({
  ...team('budgeted')
    .roundRobin()
    .model({ model: 'scripted', maxTokens: 100 })
    .agent('scout', { description: 'Finds facts.' })
    .agent('scribe', { description: 'Writes them up.' })
    .terminateWhen(anyOf(textMention('DONE', { sources: ['scribe'] }), maxMessages(8)))
    .build(),
  budget: { maxTotalTokens: 400, onExceed: 'ask' },
});
const USED = { promptTokens: 100, completionTokens: 50 };
const BUDGET_SCRIPT = {
  scout: ['fact one', 'fact two'].map((content) => ({ content, usage: USED })),
  scribe: ['draft one', 'DONE'].map((content) => ({ content, usage: USED })),
};

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core run in the page: the violations that would stop someone using it (serious or critical). */
async function seriousViolations(page: Page): Promise<{ id: string; nodes: number }[]> {
  // Evaluated through the debugging protocol, not as a <script>: the page's CSP stays on and untouched.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } })
      .axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(({ id, nodes }) => ({ id, nodes }));
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('the web console (issue 17), driven in chromium against a real worker and front end', () => {
  let env: ConsoleEnv;
  beforeAll(async () => {
    env = await startConsoleEnv([approvalTeam(), budgetTeam()], { agents: { ...REVIEW_SCRIPT.agents, ...BUDGET_SCRIPT } });
  });
  afterAll(() => env?.stop());

  it('the API answers 401 without a token (or with a wrong one), and the page asks for one', async () => {
    const bare = await fetch(`${env.url}api/runs`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(/Authorization: Bearer/);
    const wrong = await fetch(`${env.url}api/runs`, { headers: { authorization: 'Bearer not-a-token-at-all-1234' } });
    expect(wrong.status).toBe(401);

    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(env.url);
    // The app renders after its script loads; wait for the heading rather than sampling it once.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
    await page.getByLabel('Access token').fill('not-a-token-at-all-1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('the bearer token is not valid').waitFor();
    // The token never travels in a URL: the page's address stays the console's.
    expect(page.url()).not.toContain('not-a-token');
    await shot(page, 'sign-in');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('a run started from the page shows its turns; approved from the inbox, it completes; a second browser sees it; a second answer is refused with the reason', async () => {
    const alice = await env.signedIn(ALICE);
    const page = alice.page;
    await page.getByRole('link', { name: 'Start a run' }).click();
    await page.getByLabel('Team').selectOption('review');
    await page.getByLabel('Task').fill('Write a note about durable runs.');
    await shot(page, 'start');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Start the run' }).click();
    await page.waitForURL(/#\/runs\/review-/);
    const runId = decodeURIComponent(page.url().split('#/runs/')[1]!);

    // Every turn appears, in order, and the run waits for a person's decision.
    const spoken = page.locator('.conversation .message:not(.draft) .content');
    await page.locator('.conversation .message:not(.draft)', { hasText: 'APPROVED' }).waitFor();
    expect(await spoken.allInnerTexts()).toEqual(['Write a note about durable runs.', ...REVIEW_TURNS.map(([, text]) => text)]);
    await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    await expect(page.locator('#run-status').innerText()).resolves.toBe('waiting on a person');
    await shot(page, 'run-waiting');
    expect(await seriousViolations(page)).toEqual([]);

    // A second browser (its own session) watches the same run, and keeps a stale inbox open.
    const second = await env.signedIn(ALICE);
    const watcher = second.page;
    await watcher.goto(`${env.url}#/runs/${encodeURIComponent(runId)}`);
    await watcher.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    const staleInbox = await second.context.newPage();
    await signIn(staleInbox, env.url, ALICE); // a new tab is a new session: the token is asked again
    await staleInbox.getByRole('link', { name: 'Inbox' }).click();
    await staleInbox.locator(`li[data-run="${runId}"]`).waitFor();

    // Alice approves from her inbox.
    await page.getByRole('link', { name: 'Inbox' }).click();
    const item = page.locator(`li[data-run="${runId}"]`);
    await expect(item.locator('.question').innerText()).resolves.toBe('Publish the draft?');
    await shot(page, 'inbox');
    expect(await seriousViolations(page)).toEqual([]);
    await item.getByLabel('Comment or requested changes').fill('Ship it.');
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.getByText('Answer sent: approve.').waitFor();

    // The other browser's run page follows: completed, with the stop reason and who approved.
    await watcher.locator('#run-status', { hasText: 'completed' }).waitFor();
    await watcher.locator('.note', { hasText: 'alice answered: approve' }).waitFor();
    await expect(watcher.locator('#stop-reason').innerText()).resolves.toMatch(/APPROVED/);
    await shot(watcher, 'run-completed');

    // The stale inbox answers too late: refused, and the person is told why.
    const stale = staleInbox.locator(`li[data-run="${runId}"]`);
    await stale.getByRole('button', { name: 'Approve' }).click();
    const refusal = await stale.getByRole('alert').innerText();
    expect(refusal).toMatch(new RegExp(`^Answer refused: run "${runId}" (has already ended \\(completed\\)|is not waiting)`));
    await shot(staleInbox, 'answer-refused');

    // The runs list shows it with its turns and stop reason, and finds it by id.
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByLabel('Run id or context id').fill(runId);
    await page.getByRole('button', { name: 'Show runs' }).click();
    const row = page.locator(`tr[data-run="${runId}"]`);
    await row.locator('td', { hasText: 'completed' }).waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    await expect(row.locator('td').nth(3).innerText()).resolves.toBe('6');
    await expect(row.locator('td').nth(4).innerText()).resolves.toMatch(/APPROVED/);
    await shot(page, 'runs');
    expect(await seriousViolations(page)).toEqual([]);
    // The README's picture, refreshed on request only, so that test runs leave the checkout clean.
    if (process.env.UPDATE_CONSOLE_PICTURE === '1') copyFileSync(join(SHOTS, 'run-completed.png'), join(ROOT, 'docs', 'console.png'));

    // Bob, no operator, does not see alice's run at all.
    const asBob = await fetch(`${env.url}api/runs/${encodeURIComponent(runId)}`, { headers: { authorization: `Bearer ${BOB}` } });
    expect(asBob.status).toBe(404);
    await alice.context.close();
    await second.context.close();
  });

  it('the runs list filters to runs waiting on a person, and a run is canceled from its page', async () => {
    const runId = await env.worker.client.start(approvalTeam(), 'Write another note.', { startedBy: { token: 'bob' } });
    const { context, page } = await env.signedIn(BOB);
    await page.getByLabel('Waiting on a person').check();
    await page.getByRole('button', { name: 'Show runs' }).click();
    // Visibility lists the run as waiting once its memo says so; the list refreshes until then.
    const row = page.locator(`tr[data-run="${runId}"]`);
    await row.locator('td', { hasText: 'waiting on a person' }).waitFor();
    for (const status of await page.locator('tbody td:nth-child(3)').allInnerTexts()) expect(status).toBe('waiting on a person');
    await row.getByRole('link', { name: runId }).click();
    await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    await page.getByRole('button', { name: 'Cancel the run' }).click();
    await page.locator('#run-status', { hasText: 'canceled' }).waitFor();
    await expect(page.getByRole('button', { name: 'Cancel the run' }).count()).resolves.toBe(0);
    await context.close();
  });

  it('a budget request shows its figures in the inbox and on the run page; a raise that does not raise is refused with the reason; a raise lets the run complete', async () => {
    const client = env.worker.client;
    const runId = await client.start(budgetTeam(), 'Write a note.');
    await nextRequest(client, runId);

    // The API names the field of a malformed answer, before the run is asked.
    const post = (body: unknown) =>
      fetch(`${env.url}api/runs/${encodeURIComponent(runId)}/answer`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, message: ((await r.json()) as { error: { message: string } }).error.message }));
    await expect(post({ action: 'raise', raise: { maxTotalTokens: 'lots' } })).resolves.toEqual({
      status: 400,
      message: 'body.raise.maxTotalTokens: expected number, received string',
    });
    await expect(post({ action: 'raise' })).resolves.toEqual({
      status: 400,
      message: 'body.raise: a raise names a new limit: maxTotalTokens and/or maxCostUsd',
    });
    await expect(post({ action: 'raise', raise: { maxTotalTokens: 1.5 } })).resolves.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^body\.raise\.maxTotalTokens: /),
    });

    // The inbox lists it (once Visibility has the run as waiting) with its figures: tokens only, as its budget has.
    const { context, page } = await env.signedIn(ALICE);
    await page.getByRole('link', { name: 'Inbox' }).click();
    const item = page.locator(`li[data-run="${runId}"]`);
    await item.waitFor(); // the inbox refreshes every 5 s
    await expect(item.getByRole('heading').innerText()).resolves.toMatch(/budget decision wanted$/);
    await expect(item.locator('.budget-figures').innerText()).resolves.toMatch(
      /^Tokens\s+300 tokens spent of 400 tokens; the next call needs ~1\d\d tokens$/,
    );
    await expect(item.getByLabel('New cost limit (USD)').count()).resolves.toBe(0);
    await shot(page, 'inbox-budget');
    expect(await seriousViolations(page)).toEqual([]);

    // A "raise" below the limit: the run refuses it, and the person sees the run's reason.
    await item.getByLabel('New token limit').fill('350');
    await item.getByRole('button', { name: 'Raise the limit' }).click();
    await expect(item.getByRole('alert').innerText()).resolves.toBe(
      `Answer refused: run "${runId}" refused the answer: maxTotalTokens: 350 does not raise the limit of 400`,
    );

    // On the run's page: the same figures; a real raise, and the run completes within it.
    await item.getByRole('link', { name: runId }).click();
    await page.getByRole('heading', { name: 'Waiting for a budget decision' }).waitFor();
    await expect(page.locator('.pending .budget-figures').innerText()).resolves.toMatch(/300 tokens spent of 400 tokens/);
    await expect(page.locator('#run-spend').innerText()).resolves.toBe('300 of 400 tokens, $0.0000 (on exceed: ask)');
    await shot(page, 'run-budget');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('New token limit').fill('2000');
    await page.getByRole('button', { name: 'Raise the limit' }).click();
    await page.locator('#run-status', { hasText: 'completed' }).waitFor();
    await page.locator('.note', { hasText: 'alice answered: raise' }).waitFor();
    await expect(page.locator('#stop-reason').innerText()).resolves.toBe('"DONE" mentioned by scribe');
    await expect(page.locator('#run-spend').innerText()).resolves.toBe('600 of 2000 tokens, $0.0000 (on exceed: ask)');
    const { snapshot } = await client.result(runId);
    expect(snapshot.spend?.budget.maxTotalTokens).toBe(2000);
    await context.close();
  });
});
