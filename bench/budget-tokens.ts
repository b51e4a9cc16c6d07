import OpenAI from 'openai';
import { promptTokens, textTokens } from '../src/model/prompt-tokens';
import { fmt, median, percentile } from './stats';
import { startScriptedModelServer } from '../src/testing/scripted-model';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

const CONVERSATIONS = Number(process.env.BENCH_BUDGET_CONVERSATIONS ?? 40);
const TIMED = Number(process.env.BENCH_BUDGET_COUNTS ?? 200);

/** English-like text from a fixed word list and a seeded generator: the same conversations on every run. */
function writer(seed: number): (words: number) => string {
  const vocabulary = (
    'the team run durable workflow agent model reply draft review research fact note approved ' +
    'budget token cost limit person question answer conversation history activity worker signal ' +
    'should could would because however therefore, which; while. "quoted" numbers 42 3.14 2026 ' +
    'JSON {"key": "value"} function(x) => x + 1 naïve café résumé internationalisation'
  ).split(' ');
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return (words) => Array.from({ length: words }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ');
}

/** A team conversation as one agent sees it: its system message, then `turns` messages of others and its own. */
function conversation(seed: number, turns: number, wordsPerTurn: number): Message[] {
  const say = writer(seed);
  const messages: Message[] = [{ role: 'system', content: `You are writer, a member of a team. ${say(30)}` }];
  for (let i = 0; i < turns; i++) {
    messages.push(
      i % 3 === 1 ? { role: 'assistant', content: say(wordsPerTurn) } : { role: 'user', name: `agent${i % 3}`, content: say(wordsPerTurn) },
    );
  }
  return messages;
}

/** A conversation of about `tokens` prompt tokens. */
function conversationOf(tokens: number, seed: number): Message[] {
  const turns = Math.max(1, Math.round(tokens / 130));
  return conversation(seed, turns, 100);
}

/**
 * How close the count made before a call (js-tiktoken, o200k_base, the cookbook's per-message
 * framing) is to the prompt tokens the model reports, over CONVERSATIONS conversations sent
 * through the openai client to the scripted model; and how long a count takes at ~1k and ~50k
 * tokens of conversation. The scripted model reports one token per 4 characters, not a real
 * tokenizer's count: the figure shows that gap, not the gap to OpenAI (see the README).
 */
export async function benchBudgetTokens(log: (line: string) => void): Promise<string> {
  // A scripted model of its own, whose one reply fits any request.
  const model = await startScriptedModelServer({ script: { default: ['ok'] } });
  try {
    return await compare(new OpenAI({ baseURL: model.baseUrl, apiKey: 'bench', maxRetries: 0 }), log);
  } finally {
    await model.close();
  }
}

async function compare(client: OpenAI, log: (line: string) => void): Promise<string> {
  const errors: number[] = [];
  let counted = 0;
  let reported = 0;
  for (let i = 0; i < CONVERSATIONS; i++) {
    const messages = conversation(i + 1, 1 + (i % 20) * 3, 20 + (i % 7) * 40);
    const count = promptTokens(messages, 'scripted');
    const reply = await client.chat.completions.create({ model: 'scripted', messages });
    const actual = reply.usage?.prompt_tokens ?? 0;
    errors.push((count - actual) / actual);
    counted += count;
    reported += actual;
  }
  const absolute = errors.map(Math.abs);
  const mean = absolute.reduce((a, b) => a + b, 0) / absolute.length;
  const signed = errors.reduce((a, b) => a + b, 0) / errors.length;
  log(
    `budget tokens: counted before the call vs reported by the scripted model (1 token per 4 characters), ${CONVERSATIONS} conversations`,
  );
  log(`  totals: counted ${counted}, reported ${reported}`);
  log(
    `  relative error: mean |e| ${(mean * 100).toFixed(1)}%, max |e| ${(Math.max(...absolute) * 100).toFixed(1)}%, mean e ${(signed * 100).toFixed(1)}% (negative: counted fewer)`,
  );

  const timing: string[] = [];
  for (const size of [1_000, 50_000]) {
    const samples: number[] = [];
    const prompts = Array.from({ length: 8 }, (_, i) => conversationOf(size, 1_000 + i));
    promptTokens(prompts[0]!, 'gpt-4o'); // the rank file loads once, on the first count
    for (let i = 0; i < TIMED; i++) {
      const started = performance.now();
      promptTokens(prompts[i % prompts.length]!, 'gpt-4o');
      samples.push(performance.now() - started);
    }
    const tokens = promptTokens(prompts[0]!, 'gpt-4o');
    log(
      `  counting a prompt of ~${tokens} tokens (${prompts[0]!.length} messages): p50 ${fmt(median(samples))}, p99 ${fmt(percentile(samples, 99))}`,
    );
    const k = `${size / 1000}k`;
    timing.push(`budget_count_${k}_p50_ms=${median(samples).toFixed(1)} budget_count_${k}_p99_ms=${percentile(samples, 99).toFixed(1)}`);
  }
  const loaded = performance.now();
  textTokens('warm', 'gpt-4'); // cl100k's rank file, loaded on first use
  log(`  loading a second rank file (cl100k_base) on first use: ${fmt(performance.now() - loaded)}`);
  return `budget_count_err_mean_pct=${(mean * 100).toFixed(1)} budget_count_err_max_pct=${(Math.max(...absolute) * 100).toFixed(1)} ${timing.join(' ')}`;
}
