import { setTimeout as sleep } from 'node:timers/promises';
import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import type { ConversationEntry, ModelReply, RemoteTurnRequest, RemoteWaiting } from '../core/activity-contract';
import { a2aPartOf } from './attachment-parts';
import { conversationAsText } from '../core/request-builders';
import { displayUrl } from '../http/display-url';
import { cardEndpointUrls } from '../spec/card-schema';
import { inSpan, SpanKind, spanUrl } from '../telemetry/spans';
import { a2aClientFor } from './a2a-client';
import { cancelRemoteTask, cancellationOf } from './cancel-remote-task';
import { fetchAgentCard, readInlineCard, type AgentCardCache, type RemoteCard } from './agent-card';
import { followStream, type StreamEnd } from './follow-stream';
import { allowlistOf, hostAllowlist, type HostAllowlist } from '../http/host-allowlist';
import { classifyRemoteError, RemoteCallError } from './remote-call-error';
import { remoteFetch } from './remote-fetch';
import { ENDED, remoteTaskAnswer, textOf, WAITING, type StreamedStatus } from './remote-task';

/**
 * A remote turn with what it sends read: entries read from the store may carry files and data
 * (attachments), which a request carried in history never does.
 */
export type RemoteTurnToSend = Omit<RemoteTurnRequest, 'messages'> & { messages?: ConversationEntry[] };

/** What a retry needs to pick the remote task up again: recorded as the heartbeat's details. */
export interface RemoteProgress {
  taskId: string;
}

export interface RemoteTurnDeps {
  /** Cards already read, with their ETags. */
  cards: AgentCardCache;
  /** Where the agent's credentials are read. */
  env: Record<string, string | undefined>;
  /** The run's cancellation: aborts every request, and cancels the remote task when `cancelsRemote` says so. */
  signal: AbortSignal;
  /**
   * Asked once `signal` has fired and a remote task is under way: whether the remote task should
   * be cancelled too (the run has no use for its answer), or left for a retry to follow.
   */
  cancelsRemote: () => Promise<boolean>;
  /** The remote task an earlier attempt of this turn started: followed, not sent again. */
  resumeTaskId: string | null;
  /** A sign of life, with the remote task's id once it is known, so that a retry can resume it. */
  heartbeat: (progress?: RemoteProgress) => void;
  log: (message: string, attributes: Record<string, unknown>) => void;
}

/** The longest wait between two looks at a remote task that is still working. */
const MAX_POLL_MS = 5_000;

/** Streams that break off before polling takes over for the rest of an attempt. */
const MAX_STREAM_FAILURES = 3;

/**
 * A remote A2A agent's turn, in a span of its own: sends the conversation (or the person's answer
 * to the remote's question) and follows the remote task until it ends or asks. Failures are
 * RemoteCallErrors that say whether another attempt may help; a cancellation is thrown as the
 * signal's reason, whatever request it interrupted, never as the remote's refusal.
 */
export async function callRemoteAgent(request: RemoteTurnToSend, deps: RemoteTurnDeps): Promise<ModelReply | RemoteWaiting> {
  const attributes = {
    'durable_teams.remote.agent': request.agent.name,
    'durable_teams.remote.card': spanUrl(request.agent.card),
    'durable_teams.run_id': request.runId,
    'durable_teams.turn': request.turn,
    'a2a.message_id': request.answer?.messageId ?? request.messageId,
  };
  return inSpan(`a2a ${request.agent.name}`, SpanKind.CLIENT, attributes, async (span) => {
    const outcome = await remoteTurn(request, deps);
    if ('waiting' in outcome) span.setAttributes({ 'a2a.task_id': outcome.taskId, 'a2a.task.state': outcome.state });
    return outcome;
  });
}

async function remoteTurn(request: RemoteTurnToSend, deps: RemoteTurnDeps): Promise<ModelReply | RemoteWaiting> {
  const { signal } = deps;
  const name = request.agent.name;
  const where = `remote agent "${name}" (${displayUrl(request.agent.card)})`;
  const { inlineCard } = request.agent;
  // By default calls may go where the team file points: the card's host, or an inline card's interfaces.
  const allow: HostAllowlist = request.agent.allowHosts
    ? hostAllowlist(request.agent.allowHosts)
    : allowlistOf(inlineCard ? cardEndpointUrls(inlineCard) : [request.agent.card]);
  let taskId = deps.resumeTaskId;
  const beat = (details?: RemoteProgress) => deps.heartbeat(details ?? (taskId ? { taskId } : undefined));
  let card: RemoteCard;
  let client: Client;
  try {
    card = inlineCard
      ? readInlineCard(inlineCard, request.agent.card, allow)
      : await fetchAgentCard(request.agent.card, { allow, cache: deps.cards, signal });
    client = await a2aClientFor(card, remoteFetch(request.agent, deps.env));
  } catch (err) {
    throw signal.aborted ? cancellationOf(signal, err) : classifyRemoteError(err, where);
  }

  try {
    let task: Task | null = null;
    let delay = request.agent.pollIntervalMs;
    const answer = request.answer;
    // A question already answered may still show until the remote takes the answer in.
    const staleQuestion = answer?.questionId ?? '';
    const stale = (t: Task) => !!staleQuestion && t.status?.message?.messageId === staleQuestion;
    let streamFailures = 0;
    if (!taskId) {
      const message: Message = {
        messageId: answer?.messageId ?? request.messageId,
        contextId: request.contextId,
        taskId: answer?.taskId ?? '',
        role: Role.ROLE_USER,
        parts: [
          {
            content: { $case: 'text', value: answer ? answer.text : conversationAsText(request.messages ?? []) },
            metadata: undefined,
            filename: '',
            mediaType: 'text/plain',
          },
          // Files and data go on as they came, after the text that they came with.
          ...(answer ? [] : (request.messages ?? []).flatMap((m) => (m.attachments ?? []).map(a2aPartOf))),
        ],
        metadata: request.agent.skill ? { skill: request.agent.skill } : undefined,
        extensions: [],
        referenceTaskIds: [],
      };
      const sent = await client.sendMessage(
        {
          tenant: '',
          message,
          configuration: { acceptedOutputModes: ['text/plain'], taskPushNotificationConfig: undefined, returnImmediately: true },
          metadata: undefined,
        },
        { signal },
      );
      if (!('status' in sent)) return reply(textOf(sent.parts), card); // a plain Message: the answer itself
      task = sent;
      taskId = task.id || answer?.taskId || '';
      beat({ taskId });
    } else {
      deps.log('resuming a remote task after a retry', { agent: name, taskId });
    }
    for (;;) {
      if (task && ENDED.has(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED)) break;
      if (task && WAITING.has(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED) && !stale(task)) {
        // The remote asks: our run asks a person, and a later turn sends the answer to this task.
        return {
          v: 1,
          waiting: true,
          taskId,
          questionId: task.status?.message?.messageId ?? '',
          prompt: textOf(task.status?.message?.parts ?? []),
          state: task.status?.state === TaskState.TASK_STATE_AUTH_REQUIRED ? 'auth-required' : 'input-required',
          model: `a2a:${card.name}`,
        };
      }
      // A remote that can stream is followed by SubscribeToTask until it reports a state we act
      // on; one that cannot (or whose stream broke off) is polled, less and less often.
      let followed: StreamEnd | null = null;
      if (task && card.streaming && streamFailures < MAX_STREAM_FAILURES) {
        const actOn = (s: StreamedStatus) =>
          ENDED.has(s.state) || (WAITING.has(s.state) && !(staleQuestion && s.messageId === staleQuestion));
        followed = await followStream(client, taskId, actOn, () => beat(), signal);
        if (followed.broken) {
          streamFailures += 1;
          deps.log('a remote task stream broke off; reading the task instead', { agent: name, taskId, error: followed.broken });
        }
      }
      if (task && !followed?.settled) {
        await sleep(delay, undefined, { signal });
        delay = Math.min(MAX_POLL_MS, Math.max(delay, Math.ceil(delay * 1.5)));
      }
      beat({ taskId });
      // The task itself, artifacts and all, is always read with GetTask: a stream's events are
      // only the cue that something changed.
      task = await client.getTask({ tenant: '', id: taskId, historyLength: 0 }, { signal });
    }
    const state = task.status?.state;
    if (state !== TaskState.TASK_STATE_COMPLETED) {
      const why = textOf(task.status?.message?.parts ?? []);
      throw new RemoteCallError(
        `${where}: its task ${taskId} ended ${TaskState[state ?? 0] ?? state}${why ? `: ${why}` : ''}`,
        'RemoteAgentTaskFailed',
        false,
      );
    }
    return reply(remoteTaskAnswer(task), card);
  } catch (err) {
    if (!signal.aborted) throw classifyRemoteError(err, where);
    // However the cancellation came (the fetch aborted, a poll's sleep cut short), it is reported as one.
    if (taskId && (await deps.cancelsRemote().catch(() => true))) await cancelRemoteTask(client, taskId, where, deps.log);
    else if (taskId) deps.log(`${where}: cancelled; its task ${taskId} is left for the next attempt to follow`, { taskId });
    throw cancellationOf(signal, err);
  }
}

function reply(content: string, card: RemoteCard): ModelReply {
  return { v: 1, content, usage: null, model: `a2a:${card.name}` };
}
