import { Writable } from 'node:stream';
import { Output } from '../../src/cli/output';
import { testTemporalAddress, testWorkflowBundle } from '../../src/testing/temporal-env';
import { startOfflineStack, type OfflineStack, type OfflineStackOptions } from '../../examples/shared/offline-stack';

/** An Output whose stdout and stderr are kept, for assertions on what an example prints. */
export function capturedOutput(): { out: Output; printed(): string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { out: new Output(false, sink, sink), printed: () => text };
}

/** What an example's command starts, on the suite's dev server with its workflow bundle. */
export async function exampleStack(
  options: Omit<OfflineStackOptions, 'address' | 'workflowBundle'>,
): Promise<OfflineStack & { printed(): string }> {
  // The examples must answer from their scripts here, whatever the environment says.
  delete process.env.OPENAI_API_KEY;
  const { out, printed } = capturedOutput();
  const stack = await startOfflineStack({ ...options, address: testTemporalAddress(), workflowBundle: await testWorkflowBundle(), out });
  return { ...stack, printed };
}

/** Options for an example's own run function, as the test gives them: the suite's server and bundle. */
export async function exampleRunOptions(): Promise<{ address: string; workflowBundle: { code: string }; out: Output; printed(): string }> {
  delete process.env.OPENAI_API_KEY;
  const { out, printed } = capturedOutput();
  return { address: testTemporalAddress(), workflowBundle: await testWorkflowBundle(), out, printed };
}
