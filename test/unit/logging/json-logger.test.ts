import { formatLogEntry, logFormatFrom } from '../../../src/logging/json-logger';

describe('the JSON log format', () => {
  it('is chosen by DURABLE_TEAMS_LOG_FORMAT, text by default, and a bad value is named', () => {
    expect(logFormatFrom({})).toBe('text');
    expect(logFormatFrom({ DURABLE_TEAMS_LOG_FORMAT: ' JSON ' })).toBe('json');
    expect(() => logFormatFrom({ DURABLE_TEAMS_LOG_FORMAT: 'yaml' })).toThrow(
      'DURABLE_TEAMS_LOG_FORMAT: expected one of text, json, got "yaml"',
    );
  });

  it("writes one line: time, level, message, the run id as `run`, Temporal's fields beside", () => {
    const line = formatLogEntry({
      level: 'INFO',
      message: 'turn started',
      timestampNanos: 1_700_000_000_123_000_000n,
      meta: {
        workflowId: 'review-1',
        runId: 'abc',
        workflowType: 'teamRun',
        sdkComponent: 'workflow',
        turn: 3,
        big: 7n,
        err: new Error('boom\nstack'),
      },
    });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2023-11-14T22:13:20.123Z',
      level: 'info',
      message: 'turn started',
      run: 'review-1',
      workflowType: 'teamRun',
      turn: 3,
      big: '7',
      err: { name: 'Error', message: 'boom\nstack' },
      temporalRunId: 'abc',
    });
  });
});
