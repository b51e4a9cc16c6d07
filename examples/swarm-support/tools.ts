import { z } from 'zod';
import { defineTool, ToolError } from '../../src/tools/define-tool';
import { FakePayments } from './payments';

/*
 * The worker's tools for the support desk. Compiled to dist/examples/swarm-support/tools.js, this
 * is also a `--tools` module: `durable-teams worker --tools dist/examples/swarm-support/tools.js`.
 */

export const payments = new FakePayments();

/** Orders the desk knows, so that the model cannot refund more than was paid. */
const ORDERS: Record<string, number> = { 'A-1001': 42, 'A-1002': 19.5 };

export const refund = defineTool({
  name: 'refund',
  description: 'Refunds an amount of an order to the customer. Returns the refund id.',
  input: z.object({ orderId: z.string(), amount: z.number().positive() }),
  run({ orderId, amount }, ctx) {
    const paid = ORDERS[orderId];
    // A ToolError goes back to the model at once, without retries: it can ask the customer again.
    if (paid === undefined) throw new ToolError(`there is no order ${orderId}`);
    if (amount > paid) throw new ToolError(`order ${orderId} was ${paid}; cannot refund ${amount}`);
    // The key is the same on every retry of this call, so the provider pays once however often we ask.
    const made = payments.refund(orderId, amount, ctx.idempotencyKey);
    if (ctx.attempt === 1) {
      // Simulated: the provider made the refund but its answer was lost on the way back. Temporal
      // retries the call; the retry sends the same key and gets the same refund back.
      throw new Error('payments: connection reset before the answer came (simulated)');
    }
    return { refundId: made.refundId, orderId, amount, status: 'refunded' };
  },
});

export const tools = [refund];
