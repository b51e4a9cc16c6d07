import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { bearerTokens } from '../../src/access/auth';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { consoleAssets } from '../../src/console-api/routes';
import type { TeamSpec } from '../../src/spec/team';
import { chromiumPath } from '../../src/testing/chromium';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptInput } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { ROOT } from '../helpers/teams';

/** Tokens of the console tests: alice is an operator (sees and answers every run), bob sees his own. */
export const ALICE = 'alice-token-0123456789abcdef';
export const BOB = 'bob-token-0123456789abcdef';
export const SHOTS = join(ROOT, 'test-output', 'console');

/** A scripted model, a worker, the front end with bearer tokens, and one chromium: real, all of them, for one test file. */
export interface ConsoleEnv {
  model: ScriptedModelServer;
  worker: TestWorker;
  server: A2AServer;
  browser: Browser;
  /** The console's address, e.g. http://127.0.0.1:41234/console/. */
  url: string;
  /** A fresh browser context (its own session storage), signed in with `token`, showing the runs list. */
  signedIn(token: string): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** Opens the console in `page` and gives the token (kept in that tab's session storage, as a person's would be). */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
}

export async function startConsoleEnv(teams: TeamSpec[], script: ScriptInput): Promise<ConsoleEnv> {
  if (!existsSync(join(consoleAssets(), 'index.html')))
    throw new Error(`the console's page is not built (${consoleAssets()}); run npm run build before these tests`);
  const executablePath = chromiumPath(); // throws, naming the fix, when chromium is missing
  mkdirSync(SHOTS, { recursive: true });
  const model = await startScriptedModelServer({ script });
  const worker = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  const server = await startA2AServer({
    teams,
    client: worker.client,
    port: 0,
    version: '0.0.0-test',
    tokens: bearerTokens([`alice:operator=${ALICE}`, `bob=${BOB}`], 'console test'),
    secrets: null,
  });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const url = `${server.url}/console/`;
  return {
    model,
    worker,
    server,
    browser,
    url,
    async signedIn(token) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      await signIn(page, url, token);
      return { context, page };
    },
    async stop() {
      await browser.close();
      await server.close();
      await worker.stop();
      await model.close();
    },
  };
}
