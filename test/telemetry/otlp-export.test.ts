import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';
import { runCli, tempDir, temporalFlags } from '../cli/cli-helpers';

const TASK = 'Draft the launch note for project KESTREL.';
const REPLIES = { writer: ['a draft that names PETREL'], critic: ['APPROVED'] };

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpSpan {
  name: string;
  traceId: string;
  attributes: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** Every span received, with the service that sent it. */
function spansOf(exports: OtlpExport[]): (OtlpSpan & { service: string | undefined })[] {
  return exports.flatMap((e) =>
    e.resourceSpans.flatMap((r) => {
      const service = r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
      return r.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, service })));
    }),
  );
}

/** An OTLP/HTTP receiver on 127.0.0.1 that keeps what it is sent (JSON, as the exporter sends it). */
async function startCollector(): Promise<{ url: string; exports: OtlpExport[]; close(): Promise<void> }> {
  const exports: OtlpExport[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') exports.push(JSON.parse(body) as OtlpExport);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The worker as deployed: tracing and metrics switched on by environment variables alone. Spans
 * reach an OTLP endpoint (with the service name, no content); Temporal's runtime metrics are
 * served for Prometheus.
 */
describe('a worker with OTEL_* variables set', () => {
  let model: ScriptedModelServer;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let worker: WorkerProcess;
  let client: TeamClient;
  let metricsUrl: string;
  let taskQueue: string;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: REPLIES } });
    collector = await startCollector();
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    metricsUrl = `http://${metricsAddress}/metrics`;
    taskQueue = uniqueTaskQueue('otel');
    worker = await startWorkerProcess({
      address: testTemporalAddress(),
      taskQueue,
      modelBaseUrl: model.baseUrl,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100', DURABLE_TEAMS_METRICS_ADDRESS: metricsAddress },
    });
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
  });
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await client?.close();
    await collector?.close();
    await model?.close();
  });

  it("exports the run's workflow, activity and model-call spans over OTLP, without what was said", async () => {
    const spec = team('traced')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('writer', { description: 'Writes.' })
      .agent('critic', { description: 'Critiques.' })
      .terminateWhen(maxMessages(3))
      .build();
    const runId = await client.start(spec, TASK);
    expect((await client.result(runId)).snapshot.status).toBe('completed');

    const names = () =>
      collector.exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name))));
    for (
      let i = 0;
      i < 100 && !(names().filter((n) => n === 'chat scripted').length >= 2 && names().includes('RunWorkflow:teamRun'));
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(names()).toEqual(
      expect.arrayContaining(['RunWorkflow:teamRun', 'StartActivity:agentTurn', 'RunActivity:agentTurn', 'chat scripted']),
    );
    expect(names().filter((n) => n === 'chat scripted')).toHaveLength(2);

    const services = collector.exports.flatMap((e) =>
      e.resourceSpans.map((r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue),
    );
    expect(new Set(services)).toEqual(new Set(['durable-teams-worker']));
    const calls = collector.exports.flatMap((e) =>
      e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.filter((span) => span.name === 'chat scripted'))),
    );
    const runIds = calls.map((call) => call.attributes.find((a) => a.key === 'durable_teams.run_id')?.value.stringValue);
    expect(runIds).toEqual([runId, runId]);
    // One trace for the run: the workflow's spans and the activities' share it.
    expect(new Set(calls.map((call) => call.traceId)).size).toBe(1);

    const sent = JSON.stringify(collector.exports);
    expect(sent).not.toContain('KESTREL');
    expect(sent).not.toContain('PETREL');
  });

  it('a run started by `durable-teams run` is one trace, from the command to the last model call', async () => {
    const dir = tempDir();
    try {
      const file = dir.write(
        'traced.yaml',
        [
          'version: 1',
          'name: traced-cli',
          'pattern: round_robin',
          'model: { model: scripted }',
          'agents:',
          '  - { name: writer, description: Writes. }',
          '  - { name: critic, description: Critiques. }',
          'termination: { type: max_messages, max: 3 }',
        ].join('\n'),
      );
      const started = await runCli(['run', file, TASK, '--detach', '--no-key-check', ...temporalFlags(taskQueue)], {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
      });
      expect(started.code).toBe(0);
      const runId = started.stdout.trim();
      expect((await client.result(runId)).snapshot.status).toBe('completed');

      const chatsOfRun = () =>
        spansOf(collector.exports).filter((s) => s.name === 'chat scripted' && s.attributes.some((a) => a.value.stringValue === runId));
      for (let i = 0; i < 100 && chatsOfRun().length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      // The command's span was sent before it exited: tracing is flushed on the way out.
      const start = spansOf(collector.exports).find((s) => s.service === 'durable-teams-cli' && s.name === 'StartWorkflow:teamRun');
      expect(start).toBeDefined();
      expect(chatsOfRun()).toHaveLength(2);
      expect(new Set(chatsOfRun().map((s) => s.traceId))).toEqual(new Set([start!.traceId]));
      expect(JSON.stringify(collector.exports)).not.toContain('KESTREL');
    } finally {
      dir.remove();
    }
  });

  it("serves Temporal's runtime metrics for Prometheus", async () => {
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    const text = await response.text();
    // Counters and histograms of the worker's polls and tasks, named as Temporal documents them.
    expect(text).toMatch(/^temporal_workflow_completed_total\{.*\} [1-9]/m);
    expect(text).toMatch(/^temporal_activity_execution_latency_milliseconds_bucket\{/m);
  });
});
