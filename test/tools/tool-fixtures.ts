import { z } from 'zod';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptInput } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { defineTool, ToolError, type ToolContext } from '../../src/tools';

/** Every call a test tool served: which tool, with what, under which key and attempt. */
export interface ServedCall {
  tool: string;
  args: unknown;
  key: string;
  attempt: number;
}

/** Tools that record their calls, for tests to check what ran and how often. */
export function testTools() {
  const calls: ServedCall[] = [];
  const note = (tool: string, args: unknown, ctx: ToolContext) => calls.push({ tool, args, key: ctx.idempotencyKey, attempt: ctx.attempt });
  const tools = [
    defineTool({
      name: 'get_weather',
      description: 'The weather in a city today.',
      input: z.object({ city: z.string().describe('the city name'), unit: z.enum(['C', 'F']).optional() }),
      run: ({ city }, ctx) => {
        note('get_weather', { city }, ctx);
        if (city === 'Atlantis') throw new ToolError(`no weather station in ${city}`);
        return `sunny in ${city}`;
      },
    }),
    defineTool({
      name: 'flaky',
      description: 'Fails twice, then works.',
      input: z.object({}),
      run: (_args, ctx) => {
        note('flaky', {}, ctx);
        if (ctx.attempt < 3) throw new Error(`temporary failure ${ctx.attempt}`);
        return { ok: true, attempt: ctx.attempt };
      },
    }),
    defineTool({
      name: 'broken',
      description: 'Always fails.',
      input: z.object({}),
      run: (_args, ctx) => {
        note('broken', {}, ctx);
        throw new Error('the database is down');
      },
    }),
    defineTool({
      name: 'send_email',
      description: 'Sends an email.',
      input: z.object({ to: z.email(), body: z.string() }),
      run: (args, ctx) => {
        note('send_email', args, ctx);
        return `sent to ${args.to}`;
      },
    }),
  ];
  return { tools, calls, callsOf: (tool: string) => calls.filter((c) => c.tool === tool) };
}

/** A scripted model and a test worker that serves `tools` and asks that model; `stop` ends both. */
/**
 * A scripted model and a worker with the test tools, for one test file: started before its
 * tests, stopped after them, and before each test the model's log and the tools' calls cleared.
 * `model` and `env` are there once the file's tests run.
 */
export function toolWorkerForFile(script: ScriptInput): {
  fixtures: ReturnType<typeof testTools>;
  model: ScriptedModelServer;
  env: TestWorker;
} {
  const fixtures = testTools();
  const file = { fixtures } as { fixtures: typeof fixtures; model: ScriptedModelServer; env: TestWorker };
  beforeAll(async () => {
    file.model = await startScriptedModelServer({ script });
    file.env = await startTestWorker({ model: { baseUrl: file.model.baseUrl }, tools: fixtures.tools });
  });
  afterAll(async () => {
    await file.env?.stop();
    await file.model?.close();
  });
  beforeEach(() => {
    file.model.reset();
    fixtures.calls.length = 0;
  });
  return file;
}
