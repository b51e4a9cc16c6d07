import { chromium, type Browser } from 'playwright-core';
import { startA2AServer } from '../src/server/server';
import { maxMessages, team } from '../src/spec';
import { chromiumPath } from '../src/testing/chromium';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { startTestWorker, uniqueTaskQueue } from '../src/testing/temporal-env';
import { pingPongTeam } from './ping-pong';
import { fmt, median, percentile } from './stats';

/** Turns of the watched run; BENCH_CONSOLE_TURNS overrides. */
const TURNS = Number(process.env.BENCH_CONSOLE_TURNS ?? 60);
/** Runs in the namespace when the runs page is loaded; BENCH_CONSOLE_RUNS overrides. */
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 10_000);
const BATCH = 100;
const LOADS = 7;

/** Set up before the page's own script: the time each recorded message first shows on the page. */
const SEEN_SCRIPT = `
  window.__seen = {};
  new MutationObserver(() => {
    for (const li of document.querySelectorAll('.conversation li.message[data-index]')) {
      const i = li.getAttribute('data-index');
      if (!(i in window.__seen)) window.__seen[i] = performance.timeOrigin + performance.now();
    }
  }).observe(document, { childList: true, subtree: true });
`;

/**
 * The web console: how long a recorded turn takes to show on an open run page, and how long the
 * runs page takes to show its first rows with many runs in the namespace. Real parts throughout:
 * a worker, the front end, Debian's chromium (playwright-core), the scripted model.
 */
export async function benchConsole(address: string, log: (line: string) => void): Promise<string> {
  // Each reply takes 60 ms, so turns come one by one and each is seen arriving on its own.
  const model = await startScriptedModelServer({
    script: { agents: { ping: { replies: ['ping'], latencyMs: 60 }, pong: { replies: ['pong'], latencyMs: 60 } } },
  });
  const worker = await startTestWorker({ address, taskQueue: uniqueTaskQueue('bench-console'), model: { baseUrl: model.baseUrl } });
  const watched = pingPongTeam('watched', TURNS);
  const oneTurn = team('listed')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('ping', { description: 'Says ping.' })
    .terminateWhen(maxMessages(2))
    .build();
  const server = await startA2AServer({
    teams: [watched, oneTurn],
    client: worker.client,
    port: 0,
    version: 'bench',
    tokens: null,
    secrets: null,
  });
  const url = `${server.url}/console/`;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    const client = worker.client;

    // 1. A turn recorded → on the open page. From the message's `at` (workflow time when the run
    // recorded it, on this machine's clock) to the moment its element appears in the page's DOM.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(SEEN_SCRIPT);
    const runId = await client.start(watched, 'ping pong', {});
    await page.goto(`${url}#/runs/${runId}`);
    await client.result(runId);
    await page.locator(`.conversation li.message[data-index="${TURNS}"]`).waitFor();
    const seen = (await page.evaluate('window.__seen')) as Record<string, number>;
    const { messages } = await client.transcript(runId);
    // The page follows the run from when its stream's first lines (the task) arrived; turns
    // recorded before that come as catch-up, all at once, and are not what is measured here.
    const openedAt = seen['0']!;
    const lags: number[] = messages
      .filter((m) => m.index > 0 && m.at > openedAt && seen[m.index] !== undefined)
      .map((m) => seen[m.index]! - m.at);
    if (process.env.BENCH_CONSOLE_DEBUG) log(`lags by turn: ${lags.map((l) => l.toFixed(0)).join(' ')}`);
    log(
      `console: a turn recorded -> shown on an open run page (from the message's recorded time): p50 ${fmt(median(lags))}, p99 ${fmt(percentile(lags, 99))} over ${lags.length} turns`,
    );
    await context.close();

    // 2. The runs page with RUNS runs of the served teams in the namespace (one-turn runs, started in batches).
    const created = performance.now();
    for (let done = 0; done < RUNS; done += BATCH) {
      const ids = await Promise.all(Array.from({ length: Math.min(BATCH, RUNS - done) }, () => client.start(oneTurn, 'ping', {})));
      await Promise.all(ids.map((id) => client.result(id)));
    }
    log(`console: ${RUNS} one-turn runs created and completed in ${((performance.now() - created) / 1000).toFixed(0)} s`);
    const loads: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const fresh = await browser.newContext();
      const tab = await fresh.newPage();
      const started = performance.now();
      await tab.goto(url);
      await tab.locator('tbody tr').first().waitFor();
      loads.push(performance.now() - started);
      if (i === 0 && (await tab.locator('tbody tr').count()) !== Math.min(25, RUNS + 1))
        throw new Error('the runs page did not show a full page of runs');
      await fresh.close();
    }
    log(
      `console: runs page load (navigation -> first page of 25 rows with turns and stop reasons shown) with ${RUNS + 1} runs: p50 ${fmt(median(loads))}, max ${fmt(Math.max(...loads))} over ${LOADS} loads`,
    );
    return `console_turn_p50_ms=${median(lags).toFixed(1)} console_turn_p99_ms=${percentile(lags, 99).toFixed(1)} console_load_p50_ms=${median(loads).toFixed(1)} console_runs=${RUNS}`;
  } finally {
    await browser?.close();
    await server.close();
    await worker.stop();
    await model.close();
  }
}
