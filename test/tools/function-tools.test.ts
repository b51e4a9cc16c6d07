import type { ChatMessage } from '../../src/core/messages';
import { runLocal } from '../../src/local/run-local';
import { maxMessages, team, type LlmAgentSpec, type TeamSpec } from '../../src/spec';
import { FAST_RETRY } from '../helpers/teams';
import { toolWorkerForFile } from './tool-fixtures';

const call = (name: string, args: Record<string, unknown> | string) => ({ name, arguments: args });

/** Each agent a scenario: its replies, in order, within its one turn. */
const SCRIPT = {
  agents: {
    weather: [
      { toolCalls: [call('get_weather', { city: 'Paris' })] },
      { toolCalls: [call('get_weather', { city: 'Oslo' })] },
      'Paris and Oslo are sunny.',
    ],
    parallel: [
      { toolCalls: [call('get_weather', { city: 'Paris' }), call('get_weather', { city: 'Rome' }), call('teleport', { to: 'Mars' })] },
    ],
    flaky: [{ toolCalls: [call('flaky', {})] }, 'it worked in the end'],
    broken: [{ toolCalls: [call('broken', {})] }, 'the tool is down, sorry'],
    fixer: [{ toolCalls: [call('get_weather', { city: 5 })] }, { toolCalls: [call('get_weather', { city: 'Paris' })] }, 'Paris is sunny.'],
    atlantis: [{ toolCalls: [call('get_weather', { city: 'Atlantis' })] }, 'no station there'],
    mailer: [{ toolCalls: [call('send_email', { to: 'ana@example.com', body: 'Hi' })] }, 'done as asked'],
  },
};

/** A team of one tool-using agent that ends after its turn. */
function toolTeam(name: string, options: Partial<Omit<LlmAgentSpec, 'name'>>): TeamSpec {
  return team(`tools-${name}`)
    .roundRobin()
    .model({ model: 'scripted' })
    .agent(name, { description: 'Uses tools.', tools: ['get_weather'], ...options })
    .terminateWhen(maxMessages(2))
    .build();
}

const kinds = (messages: ChatMessage[]) => messages.map((m) => `${m.source}:${m.kind}`);

describe('function tools on a real Temporal server', () => {
  const file = toolWorkerForFile(SCRIPT);
  const { fixtures } = file;

  it('calls a tool twice, one round after the other, and answers; calls and results are in the transcript and the events', async () => {
    const runId = await file.env.client.start(toolTeam('weather', { maxToolIterations: 3 }), 'Weather in Paris and Oslo?');
    const { snapshot, messages } = await file.env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    expect(kinds(messages)).toEqual([
      'user:text',
      'weather:tool_call',
      'weather:tool_result',
      'weather:tool_call',
      'weather:tool_result',
      'weather:text',
    ]);
    expect(messages[1]!.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(messages[2]!.toolResults).toMatchObject([{ callId: 'call_1', name: 'get_weather', content: 'sunny in Paris', isError: false }]);
    expect(messages[4]!.toolResults![0]!.content).toBe('sunny in Oslo');
    expect(messages[5]!.content).toBe('Paris and Oslo are sunny.');
    // Tool messages belong to the turn but do not count as turns (or as messages for max_messages).
    expect(messages.slice(1).map((m) => m.turn)).toEqual([0, 0, 0, 0, 0]);
    expect(snapshot.turns).toBe(1);

    // Each call ran once, with a key made of the run, turn, agent, round and call id.
    expect(fixtures.calls.map((c) => [c.args, c.key, c.attempt])).toEqual([
      [{ city: 'Paris' }, `${runId}/turn-0/weather/0/call_1`, 1],
      [{ city: 'Oslo' }, `${runId}/turn-0/weather/1/call_2`, 1],
    ]);

    // The model saw the tool as JSON Schema generated from Zod, and the results as tool messages.
    const requests = file.model.requests.filter((r) => r.runId === runId);
    expect(requests).toHaveLength(3);
    expect(requests[0]!.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'The weather in a city today.',
          parameters: expect.objectContaining({
            type: 'object',
            properties: { city: { type: 'string', description: 'the city name' }, unit: { type: 'string', enum: ['C', 'F'] } },
            required: ['city'],
          }),
        },
      },
    ]);
    const last = requests[2]!.messages as { role: string; tool_call_id?: string; content?: string; tool_calls?: unknown[] }[];
    expect(last.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(last[3]).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: 'sunny in Paris' });

    const { events } = await file.env.client.events(runId);
    const toolEvents = events.flatMap((e) => (e.type === 'message' && e.message.kind !== 'text' ? [e.message.kind] : []));
    expect(toolEvents).toEqual(['tool_call', 'tool_result', 'tool_call', 'tool_result']);
  });

  it('runs parallel calls together, tells the model of a tool it does not have, and answers with the summary', async () => {
    const runId = await file.env.client.start(toolTeam('parallel', {}), 'Weather?');
    const { messages } = await file.env.client.result(runId);

    expect(kinds(messages)).toEqual(['user:text', 'parallel:tool_call', 'parallel:tool_result', 'parallel:text']);
    expect(messages[2]!.toolResults).toMatchObject([
      { callId: 'call_1', name: 'get_weather', content: 'sunny in Paris', isError: false },
      { callId: 'call_2', name: 'get_weather', content: 'sunny in Rome', isError: false },
      {
        callId: 'call_3',
        name: 'teleport',
        content: 'there is no tool named "teleport"; call one of the tools you were given',
        isError: true,
      },
    ]);
    // No reflection (AutoGen's default): the answer is the results through "{result}", one per line.
    expect(messages[3]!.content).toBe(['sunny in Paris', 'sunny in Rome', messages[2]!.toolResults![2]!.content].join('\n'));
    expect(fixtures.callsOf('get_weather')).toHaveLength(2);
    expect(file.model.requests.filter((r) => r.runId === runId)).toHaveLength(1);
  });

  it('retries a tool that fails twice, with the same idempotency key each attempt', async () => {
    const team = toolTeam('flaky', { tools: [{ name: 'flaky', retry: FAST_RETRY }], reflectOnToolUse: true });
    const runId = await file.env.client.start(team, 'Try it.');
    const { snapshot, messages } = await file.env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    expect(messages[2]!.toolResults).toMatchObject([
      { callId: 'call_1', name: 'flaky', content: '{"ok":true,"attempt":3}', isError: false },
    ]);
    expect(messages.at(-1)!.content).toBe('it worked in the end');
    const attempts = fixtures.callsOf('flaky');
    expect(attempts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(attempts.map((c) => c.key))).toEqual(new Set([`${runId}/turn-0/flaky/0/call_1`]));
  });

  it('tells the model when a tool still fails after its retries, and the run goes on', async () => {
    const team = toolTeam('broken', { tools: [{ name: 'broken', retry: { ...FAST_RETRY, maximumAttempts: 2 } }], reflectOnToolUse: true });
    const runId = await file.env.client.start(team, 'Try it.');
    const { snapshot, messages } = await file.env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    expect(messages[2]!.toolResults![0]).toMatchObject({ name: 'broken', isError: true });
    expect(messages[2]!.toolResults![0]!.content).toMatch(/^the tool failed: .*the database is down/);
    expect(fixtures.callsOf('broken')).toHaveLength(2);
    expect(messages.at(-1)!.content).toBe('the tool is down, sorry');
  });

  it('sends invalid arguments back to the model as an error, without calling the tool; the model corrects itself', async () => {
    const runId = await file.env.client.start(toolTeam('fixer', { maxToolIterations: 2, reflectOnToolUse: true }), 'Weather?');
    const { messages } = await file.env.client.result(runId);

    const [first, second] = [messages[2]!.toolResults![0]!, messages[4]!.toolResults![0]!];
    expect(first).toMatchObject({ name: 'get_weather', isError: true });
    expect(first.content).toMatch(/^invalid arguments for get_weather: city: /);
    expect(second).toMatchObject({ content: 'sunny in Paris', isError: false });
    expect(fixtures.callsOf('get_weather').map((c) => c.args)).toEqual([{ city: 'Paris' }]);
    // The second model call saw the error as the first call's result.
    const secondRequest = file.model.requests.filter((r) => r.runId === runId)[1]!.messages as { role: string; content?: string }[];
    expect(secondRequest.at(-1)).toMatchObject({ role: 'tool', content: first.content });
    expect(messages.at(-1)!.content).toBe('Paris is sunny.');
  });

  it("passes a tool's own error (ToolError) to the model at once, without retrying", async () => {
    const runId = await file.env.client.start(toolTeam('atlantis', { reflectOnToolUse: true }), 'Weather?');
    const { messages } = await file.env.client.result(runId);
    expect(messages[2]!.toolResults).toMatchObject([
      { callId: 'call_1', name: 'get_weather', content: 'no weather station in Atlantis', isError: true },
    ]);
    expect(fixtures.callsOf('get_weather')).toHaveLength(1);
  });

  it('fails the run, naming the tool and what the worker has, when a tool is not registered', async () => {
    const runId = await file.env.client.start(toolTeam('weather', { tools: ['get_wether'] }), 'Weather?');
    await expect(file.env.client.result(runId)).rejects.toThrow(
      /agent "weather": tool "get_wether" is not registered on this worker \(this worker has "get_weather", "flaky", "broken", "send_email"\)/,
    );
    expect(fixtures.calls).toHaveLength(0);
  });

  it('runs the same loop in runLocal, with the same transcript', async () => {
    const state = await runLocal(toolTeam('weather', { maxToolIterations: 3 }), 'Weather in Paris and Oslo?', {
      model: { baseUrl: file.model.baseUrl },
      tools: fixtures.tools,
    });
    expect(state.status).toBe('completed');
    expect(kinds(state.messages)).toEqual([
      'user:text',
      'weather:tool_call',
      'weather:tool_result',
      'weather:tool_call',
      'weather:tool_result',
      'weather:text',
    ]);
    expect(fixtures.callsOf('get_weather').map((c) => c.key)).toEqual([
      `${state.runId}/turn-0/weather/0/call_1`,
      `${state.runId}/turn-0/weather/1/call_2`,
    ]);
  });
});
