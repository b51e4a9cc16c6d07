import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { startScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker } from '../../src/testing/temporal-env';
import { reviewTeam } from '../helpers/teams';
import { nextRequest } from '../helpers/waiting';
import { HISTORIES_DIR } from './histories';

/**
 * Records budget-ask-raise.json, which replay.test.ts replays: a budgeted run refused a call,
 * asked a person, took the raise and completed. Apart from record-histories.test.ts (which
 * clears the folder first: run this one after it). Run on purpose:
 *   RECORD_HISTORIES=1 npx jest test/durability/record-budget-history
 */
const record = process.env.RECORD_HISTORIES ? it : it.skip;

record(
  'records a budget request answered with a raise',
  async () => {
    const used = { promptTokens: 100, completionTokens: 50 };
    const replies = (...texts: string[]) => texts.map((content) => ({ content, usage: used }));
    const model = await startScriptedModelServer({
      script: {
        agents: {
          researcher: replies('fact one', 'fact two'),
          writer: replies('draft one', 'draft two'),
          reviewer: replies('needs work', 'APPROVED'),
        },
      },
    });
    const env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    try {
      const base = reviewTeam();
      const team = { ...base, model: { ...base.model, maxTokens: 100 }, budget: { maxTotalTokens: 400, onExceed: 'ask' as const } };
      const runId = await env.client.start(team, 'Write a note.', { runId: 'budget-ask-raise' });
      await nextRequest(env.client, runId);
      await env.client.answer(runId, { action: 'raise', raise: { maxTotalTokens: 2_000 }, by: 'ana' });
      const { snapshot } = await env.client.result(runId);
      expect(snapshot.spend?.totalTokens).toBe(900);
      const history = await env.client.client.workflow.getHandle(runId).fetchHistory();
      writeFileSync(join(HISTORIES_DIR, 'budget-ask-raise.json'), historyToJSON(history));
    } finally {
      await env.stop();
      await model.close();
    }
  },
  60_000,
);
