import { ConfigError } from '../../../src/config/config-error';
import { readEnvironment } from '../../../src/config/environment';
import { spanUrl } from '../../../src/telemetry/spans';
import { tracingSettings } from '../../../src/cli/tracing-settings';

const settings = (env: Record<string, string>) => tracingSettings(readEnvironment(env), 'durable-teams-worker');

describe('tracing settings from the OTEL_* variables', () => {
  it('is off by default', () => {
    expect(settings({})).toEqual({ enabled: false, exporter: 'otlp', serviceName: 'durable-teams-worker', recordContent: false });
  });

  it('is on with an OTLP endpoint, or an exporter named', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled).toBe(true);
    expect(settings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).enabled).toBe(true);
    expect(settings({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ enabled: true, exporter: 'console' });
    expect(settings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'teams-eu', DURABLE_TEAMS_TRACE_CONTENT: 'true' })).toEqual({
      enabled: true,
      exporter: 'otlp',
      serviceName: 'teams-eu',
      recordContent: true,
    });
  });

  it('is off when OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none says so, whatever else is set', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
  });

  it('names each bad value', () => {
    let error: unknown;
    try {
      readEnvironment({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_TRACES_EXPORTER: 'zipkin',
        DURABLE_TEAMS_TRACE_CONTENT: 'maybe',
        DURABLE_TEAMS_METRICS_ADDRESS: '9464',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT: expected an http\(s\) URL, got "collector:4318"/),
        expect.stringMatching(/^OTEL_TRACES_EXPORTER: expected one of otlp, console, none, got "zipkin"/),
        expect.stringMatching(/^DURABLE_TEAMS_TRACE_CONTENT: expected true or false, got "maybe"/),
        expect.stringMatching(/^DURABLE_TEAMS_METRICS_ADDRESS: expected host:port/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });
});

describe('URLs on spans', () => {
  it('keep no credentials, query or fragment', () => {
    expect(spanUrl('https://user:secret@agents.example.com/a2a/v1?api_key=abc#x')).toBe('https://agents.example.com/a2a/v1');
    expect(spanUrl('not a url')).toBe('(invalid URL)');
  });
});
