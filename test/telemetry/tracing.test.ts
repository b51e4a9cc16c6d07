import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { setTraceContent } from '../../src/telemetry/spans';
import { startTracing, type Tracing } from '../../src/telemetry/tracing';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { callerTeam, REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';

/**
 * Tracing end to end, in-process exporter, real server: a team with a local LLM agent and a remote
 * team (our own front end) as a participant. One trace from the start of the run through its
 * workflow, activities and model calls, across the A2A call into the remote team's run.
 */
describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let model: ScriptedModelServer;
  let env: TestWorker;
  let front: A2AServer;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'durable-teams-test', spanProcessor: new SimpleSpanProcessor(exporter) });
    model = await startScriptedModelServer({ script: { agents: { ...REVIEW_SCRIPT.agents, editor: ['brief one', 'brief two'] } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, tracing });
    front = await startA2AServer({ teams: [reviewTeam()], client: env.client, port: 0, version: 'test', tokens: null, secrets: null });
  });
  afterAll(async () => {
    await front?.close();
    await env?.stop();
    await model?.close();
    await tracing?.shutdown();
  });

  const caller = () => callerTeam(`${front.teamUrls.review}.well-known/agent-card.json`);

  /** Spans come from the worker's sink (workflows) a moment after the run ends: wait for `enough`. */
  async function spansUntil(enough: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const spans = exporter.getFinishedSpans();
      if (enough(spans) || Date.now() > deadline) return spans;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const byId = (spans: ReadableSpan[]) => new Map(spans.map((s) => [s.spanContext().spanId, s]));
  /** The names of a span's ancestors, nearest first. */
  function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
    const index = byId(spans);
    const names: string[] = [];
    for (
      let parent = span.parentSpanId ? index.get(span.parentSpanId) : undefined;
      parent;
      parent = parent.parentSpanId ? index.get(parent.parentSpanId) : undefined
    )
      names.push(parent.name);
    return names;
  }

  it('traces a run from its start through workflow, activities and model calls, and across the A2A call into the remote run', async () => {
    exporter.reset();
    const runId = await env.client.start(caller(), 'Plan a note.');
    const { snapshot } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');

    const spans = await spansUntil(
      (all) => all.filter((s) => s.name.startsWith('RunWorkflow:')).length >= 2 && all.some((s) => s.name === 'a2a reviewers'),
    );
    const start = spans.find((s) => s.name.startsWith('StartWorkflow:'));
    expect(start).toBeDefined();
    const traceId = start!.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);

    // The editor's model call: a GenAI client span under its activity, under the run's workflow.
    const editorCall = inTrace.find((s) => s.name === 'chat scripted' && s.attributes['durable_teams.agent'] === 'editor');
    expect(editorCall).toBeDefined();
    expect(editorCall!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'scripted',
      'gen_ai.response.model': expect.any(String),
      'gen_ai.usage.input_tokens': expect.any(Number),
      'gen_ai.usage.output_tokens': expect.any(Number),
      'durable_teams.run_id': runId,
      'server.address': '127.0.0.1',
    });
    const editorAncestry = ancestry(editorCall!, inTrace);
    expect(editorAncestry[0]).toMatch(/^RunActivity:/);
    expect(editorAncestry).toContain(start!.name);
    expect(editorAncestry.some((name) => name.startsWith('RunWorkflow:'))).toBe(true);

    // The remote turn: its span, the A2A requests under it, and on the far side the front end's
    // server span, the remote team's run and its own model calls, all in the same trace.
    const remoteTurn = inTrace.find((s) => s.name === 'a2a reviewers');
    expect(remoteTurn?.attributes['durable_teams.remote.card']).toBe(`${front.teamUrls.review}.well-known/agent-card.json`);
    const send = inTrace.find((s) => s.name === 'A2A SendMessage' && s.kind === 1 /* SERVER */);
    expect(send).toBeDefined();
    expect(ancestry(send!, inTrace)).toEqual(expect.arrayContaining(['A2A SendMessage', 'a2a reviewers']));
    const reviewerCalls = inTrace.filter((s) => s.name === 'chat scripted' && s.attributes['durable_teams.agent'] !== 'editor');
    expect(reviewerCalls.length).toBeGreaterThan(0);
    for (const call of reviewerCalls) expect(ancestry(call, inTrace)).toContain('A2A SendMessage');

    // Nothing that was said is on any span: content is recorded only when asked for.
    const everything = JSON.stringify(inTrace.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    expect(everything).not.toContain('Plan a note.');
    expect(everything).not.toContain('brief one');
  });

  it('puts prompts and replies on model spans only when asked to', async () => {
    exporter.reset();
    setTraceContent(true);
    try {
      const runId = await env.client.start(reviewTeam(), 'Draft a haiku.');
      expect((await env.client.result(runId)).snapshot.status).toBe('completed');
    } finally {
      setTraceContent(false);
    }
    const calls = (await spansUntil((all) => all.some((s) => s.name === 'chat scripted'))).filter((s) => s.name === 'chat scripted');
    expect(calls.length).toBeGreaterThan(0);
    expect(String(calls[0]!.attributes['gen_ai.prompt'])).toContain('Draft a haiku.');
    expect(typeof calls[0]!.attributes['gen_ai.completion']).toBe('string');
  });
});
