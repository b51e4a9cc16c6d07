import OpenAI, { APIError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptInput } from '../../src/testing/scripted-model';

// Test helpers: the real openai client over real HTTP on 127.0.0.1, as the agent-turn activity
// will talk to a model. Servers started here are closed after each test.

const servers: ScriptedModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

export async function start(script: ScriptInput, apiKey?: string): Promise<ScriptedModelServer> {
  const server = await startScriptedModelServer({ script, ...(apiKey ? { apiKey } : {}) });
  servers.push(server);
  return server;
}

export function clientFor(server: ScriptedModelServer, apiKey = 'x'): OpenAI {
  return new OpenAI({ baseURL: server.baseUrl, apiKey, maxRetries: 0 });
}

/** A conversation in which the asking agent has spoken `ownReplies` times. */
export function conversation(ownReplies: number): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are a writer.' },
    { role: 'user', content: 'Write about otters.' },
  ];
  for (let i = 0; i < ownReplies; i++) {
    messages.push({ role: 'assistant', content: `my reply ${i}` }, { role: 'user', content: `feedback ${i}` });
  }
  return messages;
}

export interface AskOptions {
  agent?: string;
  turn?: number;
  run?: string;
  model?: string;
  client?: OpenAI;
}

/** A chat completion with our routing headers, sent per request as the activity does. */
export async function ask(server: ScriptedModelServer, messages: ChatCompletionMessageParam[], opts: AskOptions = {}) {
  const headers: Record<string, string> = {};
  if (opts.agent !== undefined) headers['x-durable-teams-agent'] = opts.agent;
  if (opts.turn !== undefined) headers['x-durable-teams-turn'] = String(opts.turn);
  if (opts.run !== undefined) headers['x-durable-teams-run'] = opts.run;
  const client = opts.client ?? clientFor(server);
  return client.chat.completions.create({ model: opts.model ?? 'scripted', messages }, { headers });
}

export async function content(
  server: ScriptedModelServer,
  messages: ChatCompletionMessageParam[],
  opts: AskOptions = {},
): Promise<string | null> {
  return (await ask(server, messages, opts)).choices[0]!.message.content;
}

/** The error a call fails with (the test fails if it succeeds). */
export async function failure(call: Promise<unknown>): Promise<APIError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof APIError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
