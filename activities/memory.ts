import { ApplicationFailure } from '@temporalio/activity';
import { MemoryNotGivenError, MemoryScopeMissingError } from '../src/memory/agent-memory';

/**
 * A scope with no key can never be read, nor memory used where no store was given: either fails
 * the activity for good, by name, saying what to do.
 */
export async function asMemoryFailure<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof MemoryScopeMissingError || err instanceof MemoryNotGivenError)
      throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}
