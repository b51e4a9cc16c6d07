import { ApplicationFailure } from '@temporalio/activity';
import { ReadMessagesRequestSchema } from '../../../src/contract/store-requests';
import { ACTIVITY_CONTRACT, parseInput } from '../../../activities/parse-input';

const failureOf = (input: unknown): ApplicationFailure => {
  try {
    parseInput(ReadMessagesRequestSchema, input, 'readMessages');
  } catch (err) {
    return err as ApplicationFailure;
  }
  throw new Error('parseInput took the input');
};

describe('activity inputs of another contract', () => {
  it('takes an input of its own contract', () => {
    expect(parseInput(ReadMessagesRequestSchema, { v: ACTIVITY_CONTRACT, runId: 'r', records: [] }, 'readMessages')).toEqual({
      v: 1,
      runId: 'r',
      records: [],
    });
  });

  it('leaves an input of a newer contract to a newer worker: a retryable failure that says so', () => {
    const failure = failureOf({ v: ACTIVITY_CONTRACT + 1, runId: 'r', records: [], somethingNew: true });
    expect(failure.type).toBe('ActivityContractTooNew');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe(
      `readMessages: input of activity contract v${ACTIVITY_CONTRACT + 1}, newer than this worker's v${ACTIVITY_CONTRACT}; a newer worker will take the retry`,
    );
  });

  it('fails a malformed input of its own contract for good, naming the field', () => {
    const failure = failureOf({ v: ACTIVITY_CONTRACT, runId: '' });
    expect(failure.type).toBe('InvalidActivityInput');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^readMessages: input from history is not what this worker understands \(runId: /);
  });
});
