import { MAX_STALL_MESSAGE_CHARS, stallReason, trimStallMessage } from '../../../src/core/stall';

describe('stallReason and trimStallMessage (pure)', () => {
  it('says how often, since when, why and what to do, on one line', () => {
    const line = stallReason({
      attempts: 4,
      since: '2025-01-02T03:04:05.000Z',
      cause: 'WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE',
      message: 'boom',
    });
    expect(line).toBe(
      'stalled: its workflow task failed 3 times since 2025-01-02T03:04:05.000Z (workflow worker unhandled failure): boom; ' +
        'fix the cause and deploy the workers: the run retries by itself and goes on where it stopped',
    );
    expect(line).not.toContain('\n');
  });

  it('names the fix for non-determinism and for continue-as-new over the size limit', () => {
    expect(stallReason({ attempts: 3, since: null, cause: 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR', message: 'x' })).toContain(
      'patched()',
    );
    expect(
      stallReason({
        attempts: 3,
        since: null,
        cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES',
        message: 'Input exceeds size limit',
      }),
    ).toContain('too large');
  });

  it('folds whitespace and cuts long messages with an ellipsis', () => {
    expect(trimStallMessage('a\n  b\tc ')).toBe('a b c');
    const cut = trimStallMessage('x'.repeat(2_000));
    expect(cut).toHaveLength(MAX_STALL_MESSAGE_CHARS);
    expect(cut.endsWith('…')).toBe(true);
  });
});
