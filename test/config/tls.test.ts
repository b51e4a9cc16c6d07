import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { temporalSettings } from '../../src/temporal/config';
import { TeamClient } from '../../src/client/team-client';
import { makeTestCertificates } from './certificates';
import { startTlsProxy, type TlsProxy } from './tls-proxy';

const SERVER_NAME = 'temporal.test';

/**
 * Temporal behind mTLS, as Temporal Cloud or a company's own cluster is: the settings come from
 * the TEMPORAL_TLS_* variables, a worker process (the Rust core's TLS) and a client (Node's) both
 * connect through it, and a run completes. Without the client certificate the CLI says it
 * cannot reach the server.
 */
describe('Temporal over mTLS', () => {
  let dir: string;
  let proxy: TlsProxy;
  let model: ScriptedModelServer;
  let tlsEnv: Record<string, string>;

  beforeAll(async () => {
    const pem = makeTestCertificates(SERVER_NAME);
    dir = mkdtempSync(join(tmpdir(), 'durable-teams-tls-'));
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content, { mode: 0o600 });
      return join(dir, name);
    };
    proxy = await startTlsProxy(testTemporalAddress(), { cert: pem.serverCert, key: pem.serverKey, ca: pem.caCert });
    tlsEnv = {
      TEMPORAL_ADDRESS: proxy.address,
      TEMPORAL_TLS_CA: file('ca.pem', pem.caCert),
      TEMPORAL_TLS_CERT: file('client.pem', pem.clientCert),
      TEMPORAL_TLS_KEY: file('client.key', pem.clientKey),
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    };
    model = await startScriptedModelServer({ script: { agents: { writer: ['a draft'], critic: ['APPROVED'] } } });
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await model?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a team with a worker and a client that both connect through mTLS', async () => {
    const taskQueue = uniqueTaskQueue('tls');
    const settings = temporalSettings({ taskQueue }, tlsEnv);
    expect(settings.security.tls).toMatchObject({
      serverNameOverride: SERVER_NAME,
      clientCertPair: { crt: expect.any(Buffer), key: expect.any(Buffer) },
    });
    let worker: WorkerProcess | undefined;
    const client = await TeamClient.connect(settings);
    try {
      worker = await startWorkerProcess({ address: proxy.address, taskQueue, modelBaseUrl: model.baseUrl, env: tlsEnv });
      const spec = team('tls')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('writer', { description: 'Writes.' })
        .agent('critic', { description: 'Checks.' })
        .terminateWhen(maxMessages(3))
        .build();
      const runId = await client.start(spec, 'Write over TLS.');
      const { snapshot, messages } = await client.result(runId);
      expect(snapshot.status).toBe('completed');
      expect(messages.map((m) => m.content)).toEqual(['Write over TLS.', 'a draft', 'APPROVED']);
      expect(proxy.accepted).toBeGreaterThanOrEqual(2); // the client's connection and the worker's
    } finally {
      await worker?.kill('SIGTERM');
      await client.close();
    }
  });

  it('is refused without the client certificate, and the CLI says it cannot reach the server', () => {
    const { TEMPORAL_TLS_CERT: _cert, TEMPORAL_TLS_KEY: _key, ...noClientCert } = tlsEnv;
    const result = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'durable-teams'), 'list'], {
      env: { ...process.env, ...noClientCert, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`error: cannot reach a Temporal server at ${proxy.address}`);
  });

  it('names each bad TLS setting before connecting', () => {
    const result = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'durable-teams'), 'list'], {
      env: { ...process.env, ...tlsEnv, TEMPORAL_TLS_KEY: '', TEMPORAL_TLS_CA: join(dir, 'missing.pem'), NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: the configuration has 2 problems:');
    expect(result.stderr).toContain(`TEMPORAL_TLS_CA: no file at "${join(dir, 'missing.pem')}"`);
    expect(result.stderr).toContain('TEMPORAL_TLS_KEY: is needed too');
  });
});
