import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ModelReply, RemoteTurnRequest, RemoteWaiting } from '../src/core/activity-contract';
import { AgentCardCache } from '../src/remote/agent-card';
import { RemoteCallError } from '../src/remote/remote-call-error';
import { callRemoteAgent, type RemoteProgress, type RemoteTurnToSend } from '../src/remote/remote-turn';
import { cancelReasonOf, runGaveUpOnActivity } from './cancel-reason';
import { keepHeartbeating } from './heartbeat';
import { parseInput } from './parse-input';
import { RemoteTurnRequestSchema } from '../src/contract/call-requests';

export function createRemoteActivities(env: Record<string, string | undefined> = process.env, heartbeatEveryMs?: number) {
  const cards = new AgentCardCache();
  return {
    /**
     * A remote A2A agent's turn. The message id is derived from the run and turn, the remote
     * task id is recorded in the heartbeat as soon as the remote returns it, and a retry (a worker
     * killed, a timeout) follows that task with GetTask instead of sending the message again.
     * Transient failures (unreachable, 408/429/5xx) are retried by Temporal; anything the remote
     * refuses (4xx, an A2A error) fails the turn for good, naming the agent, the URL and the reason.
     * Cancelling the run cancels the remote task too, and the activity reports itself cancelled
     * (never as a refusal), however the cancellation reached it; a cancelled attempt that Temporal
     * will retry (timed out, worker shutdown) leaves the task for the retry to follow.
     */
    async remoteAgentTurn(input: RemoteTurnRequest): Promise<ModelReply | RemoteWaiting> {
      return sendRemoteTurn(parseInput(RemoteTurnRequestSchema, input, 'remoteAgentTurn'));
    },
    sendRemoteTurn,
  };

  /**
   * A checked remote turn, sent. Apart from the parsing so that the messages read from the store
   * join the request after it is checked: they carry their files and data (attachments), which
   * the schema of a request carried in history has no place for and would strip.
   */
  async function sendRemoteTurn(request: RemoteTurnToSend): Promise<ModelReply | RemoteWaiting> {
    const ctx = Context.current();
    let progress = ctx.info.heartbeatDetails as RemoteProgress | undefined;
    // Beats while a single call is slow too (a remote that blocks), so cancellation still arrives.
    const beat = () => ctx.heartbeat(progress);
    const stopBeating = keepHeartbeating(heartbeatEveryMs, beat);
    try {
      return await callRemoteAgent(request, {
        cards,
        env,
        signal: ctx.cancellationSignal,
        cancelsRemote: () => runGaveUpOnActivity(ctx),
        resumeTaskId: progress?.taskId ?? null,
        heartbeat: (details) => {
          progress = details;
          beat();
        },
        log: (message, attributes) =>
          ctx.log.info(message, { ...attributes, ...(ctx.cancellationSignal.aborted ? { cancelReason: cancelReasonOf(ctx) } : {}) }),
      });
    } catch (err) {
      if (!(err instanceof RemoteCallError)) throw err;
      throw err.retryable ? ApplicationFailure.retryable(err.message, err.type) : ApplicationFailure.nonRetryable(err.message, err.type);
    } finally {
      stopBeating();
    }
  }
}
