import { InterceptingCall, status as GrpcStatus, type Interceptor } from '@grpc/grpc-js';

/** How long a closing client waits for its calls in flight before cutting off the rest. */
export const CLOSE_GRACE_MS = 10_000;

/**
 * The gRPC calls a client connection has in flight, counted across the SDK's retries.
 *
 * Why: the SDK retries a call that failed with a retryable status (a query refused with "consistent
 * query buffer is full", say) after a backoff, on a timer. Should the connection close in that
 * gap, the retry throws "Channel has been shut down" from the timer, where nobody can catch it,
 * and the process dies. So a client closes only once its calls have ended (see settle()).
 * Placed before the retry interceptor, this one sees each call once, from its start to its final status.
 */
export class CallsInFlight {
  private readonly calls = new Set<InterceptingCall>();
  private idle: (() => void)[] = [];

  readonly interceptor: Interceptor = (options, nextCall) => {
    const call: InterceptingCall = new InterceptingCall(nextCall(options), {
      start: (metadata, _listener, next) => {
        this.calls.add(call);
        next(metadata, {
          onReceiveStatus: (status, nextStatus) => {
            this.ended(call);
            nextStatus(status);
          },
        });
      },
    });
    return call;
  };

  get count(): number {
    return this.calls.size;
  }

  /**
   * Resolves once no call is in flight, or after `graceMs`; then cancels what remains (long polls,
   * which nobody retries once cancelled), so that closing the channel cannot strand a retry.
   */
  async settle(graceMs = CLOSE_GRACE_MS): Promise<void> {
    if (this.calls.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    for (const call of this.calls) call.cancelWithStatus(GrpcStatus.CANCELLED, 'the client is closing');
  }

  private ended(call: InterceptingCall): void {
    this.calls.delete(call);
    if (this.calls.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}
