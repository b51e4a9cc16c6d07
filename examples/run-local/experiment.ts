import { join } from 'node:path';
import { z } from 'zod';
import { runLocal } from '../../src/local/run-local';
import { OPENAI_BASE_URL } from '../../src/model/endpoint';
import { packageRoot } from '../../src/paths';
import { anyOf, maxMessages, team, textMention } from '../../src/spec';
import { loadScript, startScriptedModelServer } from '../../src/testing/scripted-model';
import { defineTool } from '../../src/tools/define-tool';

/*
 * runLocal runs a team in this process with the same core as the durable workflow, but no
 * Temporal: no server, no worker, no retries, nothing kept. It is for trying a prompt, a tool or
 * a termination condition in seconds; when the team does what you want, its spec (or the YAML
 * that `JSON.stringify(spec)` gives) runs durably, unchanged, with a worker.
 */

const countWords = defineTool({
  name: 'count_words',
  description: 'Counts the words of a text.',
  input: z.object({ text: z.string() }),
  run: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
});

/** The team under experiment, built in code: a headline writer with a tool, and a judge. */
function headlineTeam(writerPrompt: string) {
  return team('headline-lab')
    .roundRobin()
    .model({ model: 'gpt-4o-mini', temperature: 0.7 })
    .agent('headline_writer', {
      description: 'Writes a headline, checking its length with count_words.',
      systemMessage: writerPrompt,
      tools: ['count_words'],
      reflectOnToolUse: true,
    })
    .agent('judge', { description: 'Judges the headline.', systemMessage: 'Judge the headline; end with VERDICT: keep or VERDICT: redo.' })
    .terminateWhen(anyOf(textMention('VERDICT'), maxMessages(6)))
    .build();
}

/** Runs the experiment against `baseUrl` and returns each variant's transcript, for reading side by side. */
export async function runExperiment(baseUrl: string, print: (line: string) => void = console.log) {
  const variants = {
    short: 'Write a headline of at most six words. Count them with count_words first.',
    playful: 'Write a playful headline, at most six words. Count them with count_words first.',
  };
  const results: Record<string, string[]> = {};
  for (const [name, prompt] of Object.entries(variants)) {
    const state = await runLocal(headlineTeam(prompt), 'A headline for: our team runs now survive worker crashes.', {
      model: { baseUrl },
      tools: [countWords],
    });
    results[name] = state.messages.filter((m) => m.kind === 'text').map((m) => `${m.source}: ${m.content}`);
    print(`--- ${name}: ${state.status} (${state.stop?.reason ?? state.error ?? ''})`);
    for (const line of results[name]) print(line);
  }
  return results;
}

// npm run build && node dist/examples/run-local/experiment.js
if (require.main === module) {
  void (async () => {
    // With OPENAI_API_KEY set, a real model answers (OPENAI_BASE_URL for another endpoint).
    const model = process.env.OPENAI_API_KEY
      ? null
      : await startScriptedModelServer({ script: loadScript(join(packageRoot(), 'examples/run-local/script.yaml')) });
    try {
      await runExperiment(model?.baseUrl ?? process.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL);
    } finally {
      await model?.close();
    }
  })();
}
