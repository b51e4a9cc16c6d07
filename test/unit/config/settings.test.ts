import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/config-error';
import { readEnvironment } from '../../../src/config/environment';
import { temporalSettings } from '../../../src/temporal/config';

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('settings from the environment and flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'durable-teams-config-'));
  const pem = join(dir, 'x.pem');
  writeFileSync(pem, '-----BEGIN CERTIFICATE-----\n');

  it('defaults to a local server without TLS', () => {
    expect(temporalSettings({}, {})).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'durable-teams',
      security: { tls: null },
    });
  });

  it('takes flags over variables, checked alike', () => {
    const settings = temporalSettings(
      { address: 'flag.example:7233', namespace: 'flags' },
      { TEMPORAL_ADDRESS: 'env.example:7233', TEMPORAL_NAMESPACE: 'env', DURABLE_TEAMS_TASK_QUEUE: 'q' },
    );
    expect(settings).toMatchObject({ address: 'flag.example:7233', namespace: 'flags', taskQueue: 'q' });
    expect(problems(() => temporalSettings({ address: 'no-port' }, {}))).toEqual([
      '--address: expected host:port (e.g. 127.0.0.1:7233 or my-ns.tmprl.cloud:7233), got "no-port"',
    ]);
  });

  it('turns TLS on for an API key (Temporal Cloud) and keeps the key out of every message', () => {
    const settings = temporalSettings(
      {},
      { TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'my-ns.a1b2c', TEMPORAL_API_KEY: 'sk-cloud-123' },
    );
    expect(settings.security).toEqual({ tls: {}, apiKey: 'sk-cloud-123' });
    const refused = problems(() => temporalSettings({}, { TEMPORAL_API_KEY: 'sk cloud 123', TEMPORAL_TLS: 'false' }));
    expect(refused).toEqual([
      'TEMPORAL_API_KEY: is empty or contains spaces (value not shown)',
      'TEMPORAL_TLS: is false, but TEMPORAL_API_KEY is set: an API key is only sent over TLS',
    ]);
    expect(refused.join(' ')).not.toContain('sk cloud');
  });

  it('reads the TLS files, and a client certificate needs its key', () => {
    const settings = temporalSettings({ tlsCa: pem, tlsCert: pem, tlsKey: pem, tlsServerName: 'temporal.internal' }, {});
    expect(settings.security.tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: expect.any(Buffer),
      clientCertPair: { crt: expect.any(Buffer), key: expect.any(Buffer) },
    });
    expect(problems(() => temporalSettings({}, { TEMPORAL_TLS_CERT: pem }))).toEqual([
      'TEMPORAL_TLS_KEY: is needed too: a client certificate (TEMPORAL_TLS_CERT) goes with its private key (TEMPORAL_TLS_KEY)',
    ]);
  });

  it('reports every bad value at once, each by name', () => {
    const all = problems(() =>
      readEnvironment({
        TEMPORAL_ADDRESS: 'localhost:99999',
        TEMPORAL_NAMESPACE: 'two words',
        TEMPORAL_TLS: 'maybe',
        TEMPORAL_TLS_CA: join(dir, 'nope.pem'),
        OPENAI_BASE_URL: 'ftp://models',
        DURABLE_TEAMS_LOG_FORMAT: 'xml',
        DURABLE_TEAMS_LOG_LEVEL: 'loud',
        UNRELATED: 'ignored',
      }),
    );
    expect(all).toEqual([
      'TEMPORAL_ADDRESS: the port must be 1 to 65535, got 99999',
      'TEMPORAL_NAMESPACE: must not contain spaces',
      'TEMPORAL_TLS: expected true or false, got "maybe"',
      `TEMPORAL_TLS_CA: no file at "${join(dir, 'nope.pem')}"`,
      'OPENAI_BASE_URL: expected an http(s) URL, got "ftp://models"',
      'DURABLE_TEAMS_LOG_FORMAT: expected one of text, json, got "xml"',
      'DURABLE_TEAMS_LOG_LEVEL: expected one of TRACE, DEBUG, INFO, WARN, ERROR, got "loud"',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(temporalSettings({}, { TEMPORAL_ADDRESS: '', TEMPORAL_TLS_CERT: '' }).address).toBe('127.0.0.1:7233');
  });
});
