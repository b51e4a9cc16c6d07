/**
 * A stand-in for a payments provider, in memory, that keeps refunds by idempotency key the way
 * Stripe-like APIs do: a second request with a key it has seen returns the first refund instead
 * of paying again. A real tool would send the key as an `Idempotency-Key` header instead.
 */
export interface Refund {
  refundId: string;
  orderId: string;
  amount: number;
  idempotencyKey: string;
}

export class FakePayments {
  /** Every refund made, by idempotency key: what the customer's bank account would see. */
  readonly refunds = new Map<string, Refund>();
  /** The idempotency key of every request received, repeats included. */
  readonly requestKeys: string[] = [];

  refund(orderId: string, amount: number, idempotencyKey: string): Refund {
    this.requestKeys.push(idempotencyKey);
    const seen = this.refunds.get(idempotencyKey);
    if (seen) return seen;
    const refund = { refundId: `re_${this.refunds.size + 1}`, orderId, amount, idempotencyKey };
    this.refunds.set(idempotencyKey, refund);
    return refund;
  }

  /** The refunds made for one run's calls (keys start with the run id). */
  refundsOf(runId: string): Refund[] {
    return [...this.refunds.values()].filter((r) => r.idempotencyKey.startsWith(`${runId}/`));
  }

  /** How many requests one run's calls sent, retries included. */
  requestsOf(runId: string): number {
    return this.requestKeys.filter((key) => key.startsWith(`${runId}/`)).length;
  }
}
