import { runSwarmSupport } from '../../examples/swarm-support/run';
import { finalAnswer } from '../../examples/shared/run-and-follow';
import { exampleRunOptions } from './gallery-env';

describe('examples/swarm-support', () => {
  it('hands the customer from triage to billing, refunds once despite a retried call, and asks the customer', async () => {
    const { printed, ...options } = await exampleRunOptions();
    const { result, refunds, requests } = await runSwarmSupport(options);

    expect(result.snapshot.stopReason).toBe('"TERMINATE" mentioned by billing');
    expect(finalAnswer(result)).toContain('Goodbye');
    const handoffs = result.messages.flatMap((m) => (m.handoff ? [`${m.source}->${m.handoff.target}`] : []));
    expect(handoffs).toEqual(['triage->billing', 'billing->user']);
    // The customer's answer came in as the user's message.
    expect(result.messages.filter((m) => m.source === 'user').map((m) => m.content)).toContain('No, that is all. Thank you!');
    // The first attempt lost its answer and was retried: two requests, one refund.
    expect(requests).toBe(2);
    expect(refunds).toEqual([expect.objectContaining({ orderId: 'A-1001', amount: 42, refundId: 're_1' })]);
    expect(printed()).toContain('made 1 refund(s)');
  });
});
