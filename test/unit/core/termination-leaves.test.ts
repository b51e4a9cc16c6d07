import { conditionChecker, message } from './core-helpers';

const task = message('user', 'Write a haiku about otters');

describe('text_mention: a message containing the text', () => {
  it('holds on a message that contains the text, naming who said it', () => {
    const check = conditionChecker({ type: 'text_mention', text: 'APPROVED' });
    expect(check([task, message('writer', 'Draft one')])).toBeNull();
    expect(check([message('critic', 'Looks good. APPROVED!')])).toEqual({
      reason: '"APPROVED" mentioned by critic',
      conditions: ['text_mention'],
    });
  });

  it('counts the task message from "user"', () => {
    expect(conditionChecker({ type: 'text_mention', text: 'otters' })([task])).not.toBeNull();
    expect(conditionChecker({ type: 'text_mention', text: 'otters', sources: ['user'] })([task])).not.toBeNull();
  });

  it('with sources, looks only at messages from them', () => {
    const check = conditionChecker({ type: 'text_mention', text: 'APPROVED', sources: ['critic'] });
    expect(check([task, message('writer', 'I think this is APPROVED')])).toBeNull();
    expect(check([message('critic', 'APPROVED')])?.reason).toBe('"APPROVED" mentioned by critic');
  });

  it('is case sensitive, like AutoGen', () => {
    expect(conditionChecker({ type: 'text_mention', text: 'APPROVED' })([message('critic', 'approved')])).toBeNull();
  });
});

describe('max_messages: counts every message across checks, the task included', () => {
  it('holds once the count reaches max', () => {
    const check = conditionChecker({ type: 'max_messages', max: 3 });
    expect(check([task])).toBeNull();
    expect(check([message('writer', 'a')])).toBeNull();
    expect(check.state.count).toBe(2);
    expect(check([message('critic', 'b')])).toEqual({ reason: 'maximum of 3 messages reached', conditions: ['max_messages'] });
  });

  it('counts several messages in one check', () => {
    const check = conditionChecker({ type: 'max_messages', max: 3 });
    expect(check([task, message('a', '1'), message('b', '2')])).not.toBeNull();
  });

  it('counts nothing in a check with no messages', () => {
    const check = conditionChecker({ type: 'max_messages', max: 1 });
    expect(check([])).toBeNull();
    expect(check.state.count).toBe(0);
  });
});

describe('stop_message: a message of kind "stop"', () => {
  it('holds on a stop message and not on text that merely says stop', () => {
    const check = conditionChecker({ type: 'stop_message' });
    expect(check([task, message('writer', 'TERMINATE')])).toBeNull();
    expect(check([message('critic', 'Done.', { kind: 'stop' })])).toEqual({
      reason: 'stop message from critic',
      conditions: ['stop_message'],
    });
  });
});

describe('source_match: one of the sources has spoken', () => {
  it('holds when a listed source speaks', () => {
    const check = conditionChecker({ type: 'source_match', sources: ['critic', 'editor'] });
    expect(check([task, message('writer', 'x')])).toBeNull();
    expect(check([message('editor', 'y')])).toEqual({ reason: 'editor has spoken', conditions: ['source_match'] });
  });
});

describe('token_usage: tokens accumulated across checks', () => {
  const used = (promptTokens: number, completionTokens: number) => message('writer', 'x', { usage: { promptTokens, completionTokens } });

  it('holds when the total reaches maxTotalTokens', () => {
    const check = conditionChecker({ type: 'token_usage', maxTotalTokens: 100 });
    expect(check([task, used(30, 20)])).toBeNull();
    expect(check([used(40, 10)])).toEqual({ reason: 'token limit reached (100 total >= 100)', conditions: ['token_usage'] });
  });

  it('holds when prompt tokens reach maxPromptTokens, whatever the total', () => {
    const check = conditionChecker({ type: 'token_usage', maxPromptTokens: 50 });
    expect(check([used(30, 500)])).toBeNull();
    expect(check([used(20, 0)])?.reason).toBe('token limit reached (50 prompt >= 50)');
  });

  it('holds when completion tokens reach maxCompletionTokens', () => {
    const check = conditionChecker({ type: 'token_usage', maxCompletionTokens: 10 });
    expect(check([used(500, 9)])).toBeNull();
    expect(check([used(0, 1)])?.reason).toBe('token limit reached (10 completion >= 10)');
  });

  it('names every limit reached, and counts messages without usage as zero', () => {
    const check = conditionChecker({ type: 'token_usage', maxTotalTokens: 10, maxPromptTokens: 5, maxCompletionTokens: 100 });
    expect(check([task, message('writer', 'no usage')])).toBeNull();
    expect(check([used(6, 4)])?.reason).toBe('token limit reached (10 total >= 10, 6 prompt >= 5)');
    expect(check.state.tokens).toEqual({ promptTokens: 6, completionTokens: 4 });
  });
});

describe("timeout: the run's age in the check", () => {
  it('holds once elapsedMs reaches the duration', () => {
    const check = conditionChecker({ type: 'timeout', after: '1m' });
    expect(check([], { elapsedMs: 59_999 })).toBeNull();
    expect(check([], { elapsedMs: 60_000 })).toEqual({ reason: 'timeout of 1m reached', conditions: ['timeout'] });
  });

  it('reads a number as milliseconds', () => {
    expect(conditionChecker({ type: 'timeout', after: 90_000 })([], { elapsedMs: 90_000 })?.reason).toBe('timeout of 1m30s reached');
  });
});

describe('external: a stop request', () => {
  it('holds when the check carries a stop request, giving its reason', () => {
    const check = conditionChecker({ type: 'external' });
    expect(check([task])).toBeNull();
    expect(check([], { externalStop: { reason: 'enough' } })).toEqual({
      reason: 'stopped on request: enough',
      conditions: ['external'],
    });
  });
});
