import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Role, TaskState, type Message, type Part, type StreamResponse, type Task } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';
import type { ModelReply, RemoteTurnRequest, RemoteWaiting } from '../src/core/requests';
import { displayUrl } from '../src/http/display-url';
import { AgentCardCache, fetchAgentCard, readInlineCard, RemoteCardError, type RemoteCard } from '../src/remote/agent-card';
import { cardEndpointUrls } from '../src/spec/card-schema';
import { keepHeartbeating } from './heartbeat';
import { RemoteTurnRequestSchema } from './request-schemas';
import { allowlistOf, hostAllowlist, type HostAllowlist } from '../src/remote/host-allowlist';
import { injectTraceHeaders, inSpan, serverAttributes, SpanKind, spanUrl } from '../src/telemetry/spans';

/** What a retry needs to pick the remote task up again: recorded as the heartbeat's details. */
interface RemoteProgress {
  taskId: string;
}

const ENDED = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED]);
const WAITING = new Set([TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_AUTH_REQUIRED]);

/** The longest wait between two looks at a remote task that is still working. */
const MAX_POLL_MS = 5_000;

/** Streams that break off before polling takes over for the rest of an attempt. */
const MAX_STREAM_FAILURES = 3;

/** How long one subscription is followed before GetTask checks on the task anyway. */
const STREAM_RECHECK_MS = 30_000;

/** A failure of the HTTP exchange itself that a later attempt may get past (network, 408/429/5xx). */
class TransientRemoteError extends Error {}

function textOf(parts: Part[]): string {
  return parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : p.content?.$case === 'data' ? [JSON.stringify(p.content.value)] : [])).join('\n');
}

/** The conversation as one message: who said what, in order. */
function conversationText(request: RemoteTurnRequest): string {
  if (request.messages.length === 1) return request.messages[0]!.content;
  return request.messages.map((m) => `[${m.source}] ${m.content}`).join('\n\n');
}

interface StreamedStatus {
  state: TaskState;
  /** The id of the status message: tells a new question from one already answered. */
  messageId: string;
}

/** How following a stream ended: a state to act on was reported, or the stream closed or broke. */
interface StreamEnd {
  settled: boolean;
  broken?: string;
}

/** The state a streamed event reports, when it reports one. */
function statusOf(event: StreamResponse): StreamedStatus | null {
  const status = event.payload?.$case === 'task' ? event.payload.value.status : event.payload?.$case === 'statusUpdate' ? event.payload.value.status : undefined;
  return status ? { state: status.state, messageId: status.message?.messageId ?? '' } : null;
}

/**
 * Follows a remote task with SubscribeToTask until it reports a state `actOn` wants. A stream that
 * fails is reported, not thrown (a task that ended just before the subscription is refused by some
 * servers): GetTask then tells what happened. Our own cancellation is thrown.
 */
async function followStream(client: Client, taskId: string, actOn: (status: StreamedStatus) => boolean, onEvent: () => void, signal: AbortSignal): Promise<StreamEnd> {
  // A stream that stays silent is not trusted for ever: after a while GetTask looks, and a new
  // subscription follows if the task still works.
  const recheck = AbortSignal.timeout(STREAM_RECHECK_MS);
  try {
    for await (const event of client.resubscribeTask({ tenant: '', id: taskId }, { signal: AbortSignal.any([signal, recheck]) })) {
      onEvent();
      const status = statusOf(event);
      if (status && actOn(status)) return { settled: true };
    }
    return { settled: false };
  } catch (err) {
    if (signal.aborted) throw err;
    if (recheck.aborted) return { settled: false };
    return { settled: false, broken: err instanceof Error ? err.message : String(err) };
  }
}

/** A remote task's answer: its artifacts' text, else its status message's. */
function answerOf(task: Task): string {
  const fromArtifacts = task.artifacts.map((a) => textOf(a.parts)).filter(Boolean).join('\n\n');
  return fromArtifacts || textOf(task.status?.message?.parts ?? []);
}

export function createRemoteActivities(env: Record<string, string | undefined> = process.env) {
  const cards = new AgentCardCache();

  /** fetch for the SDK's transports: our credentials added, transient HTTP failures told apart. */
  function fetchFor(request: RemoteTurnRequest): typeof fetch {
    const headers: Record<string, string> = {};
    const auth = request.agent.auth;
    const secret = (name: string) => {
      const value = env[name];
      if (!value) throw ApplicationFailure.nonRetryable(`remote agent "${request.agent.name}": environment variable ${name} is not set on the worker`, 'RemoteAgentConfig');
      return value;
    };
    if (auth?.bearerEnv) headers.authorization = `Bearer ${secret(auth.bearerEnv)}`;
    if (auth?.apiKeyEnv) headers[auth.apiKeyHeader ?? 'x-api-key'] = secret(auth.apiKeyEnv);
    return async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      const rpc = typeof init?.body === 'string' ? /"method"\s*:\s*"([^"]+)"/.exec(init.body)?.[1] : undefined;
      const attributes = { 'http.request.method': method, 'url.full': spanUrl(url), ...serverAttributes(url), ...(rpc ? { 'rpc.method': rpc } : {}) };
      // One client span per request; its trace context goes along, so a remote that traces joins in.
      return inSpan(`A2A ${rpc ?? `${method} ${new URL(url).pathname}`}`, SpanKind.CLIENT, attributes, async (span) => {
        const merged = new Headers(init?.headers);
        for (const [name, value] of Object.entries(headers)) merged.set(name, value);
        injectTraceHeaders(merged);
        let response: Response;
        try {
          // Each call brings its own signal: the run's cancellation for sends and polls, a deadline
          // of its own for the CancelTask sent after that cancellation.
          response = await fetch(input, { ...init, headers: merged, redirect: 'error' });
        } catch (err) {
          if (init?.signal?.aborted) throw err;
          throw new TransientRemoteError(`could not be reached (${(err as Error).message})`);
        }
        span.setAttribute('http.response.status_code', response.status);
        if (response.status === 408 || response.status === 429 || response.status >= 500) {
          await response.body?.cancel();
          throw new TransientRemoteError(`answered ${response.status}`);
        }
        return response;
      });
    };
  }

  async function clientFor(card: RemoteCard, request: RemoteTurnRequest): Promise<Client> {
    const fetchImpl = fetchFor(request);
    const options = ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }), new RestTransportFactory({ fetchImpl, legacyCompat: { enabled: true } })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat: { enabled: true } }),
    });
    return new ClientFactory(options).createFromAgentCard(new DefaultAgentCardResolver({ legacyCompat: { enabled: true } }).normalizeAgentCard(card.raw));
  }

  /** The turn itself (see remoteAgentTurn), in that activity's span. */
  async function remoteTurn(request: RemoteTurnRequest): Promise<ModelReply | RemoteWaiting> {
    const ctx = Context.current();
    const signal = ctx.cancellationSignal;
    const name = request.agent.name;
    const where = `remote agent "${name}" (${displayUrl(request.agent.card)})`;
    const { inlineCard } = request.agent;
    // By default calls may go where the team file points: the card's host, or an inline card's interfaces.
    const allow: HostAllowlist = request.agent.allowHosts
      ? hostAllowlist(request.agent.allowHosts)
      : allowlistOf(inlineCard ? cardEndpointUrls(inlineCard) : [request.agent.card]);
    let taskId = (ctx.info.heartbeatDetails as RemoteProgress | undefined)?.taskId ?? null;
    const beat = (details?: RemoteProgress) => ctx.heartbeat(details ?? (taskId ? { taskId } : undefined));
    // Beats while a single call is slow too (a remote that blocks), so cancellation still arrives.
    const stopBeating = keepHeartbeating(() => beat());
    try {
      let card: RemoteCard;
      let client: Client;
      try {
        card = inlineCard ? readInlineCard(inlineCard, request.agent.card, allow) : await fetchAgentCard(request.agent.card, { allow, cache: cards, signal });
        client = await clientFor(card, request);
      } catch (err) {
        throw failure(err, where);
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
            parts: [{ content: { $case: 'text', value: answer ? answer.text : conversationText(request) }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
            metadata: request.agent.skill ? { skill: request.agent.skill } : undefined,
            extensions: [],
            referenceTaskIds: [],
          };
          const sent = await client.sendMessage(
            { tenant: '', message, configuration: { acceptedOutputModes: ['text/plain'], taskPushNotificationConfig: undefined, returnImmediately: true }, metadata: undefined },
            { signal },
          );
          if (!('status' in sent)) return reply(textOf(sent.parts), card); // a plain Message: the answer itself
          task = sent;
          taskId = task.id || answer?.taskId || '';
          beat({ taskId });
        } else {
          ctx.log.info('resuming a remote task after a retry', { agent: name, taskId });
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
            const actOn = (s: StreamedStatus) => ENDED.has(s.state) || (WAITING.has(s.state) && !(staleQuestion && s.messageId === staleQuestion));
            followed = await followStream(client, taskId, actOn, () => beat(), signal);
            if (followed.broken) {
              streamFailures += 1;
              ctx.log.info('a remote task stream broke off; reading the task instead', { agent: name, taskId, error: followed.broken });
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
          throw ApplicationFailure.nonRetryable(`${where}: its task ${taskId} ended ${TaskState[state ?? 0] ?? state}${why ? `: ${why}` : ''}`, 'RemoteAgentTaskFailed');
        }
        return reply(answerOf(task), card);
      } catch (err) {
        if (signal.aborted && taskId) {
          // Our run was cancelled: the remote task goes too (best effort, with a short deadline of its own).
          await client.cancelTask({ tenant: '', id: taskId, metadata: undefined }, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        }
        throw failure(err, where);
      }
    } finally {
      stopBeating();
    }
  }

  return {
    /**
     * A remote A2A agent's turn. The message id is derived from the run and turn, the remote
     * task id is recorded in the heartbeat as soon as the remote returns it, and a retry (a worker
     * killed, a timeout) follows that task with GetTask instead of sending the message again.
     * Transient failures (unreachable, 408/429/5xx) are retried by Temporal; anything the remote
     * refuses (4xx, an A2A error) fails the turn for good, naming the agent, the URL and the reason.
     * Cancelling the run cancels the remote task too.
     */
    async remoteAgentTurn(input: RemoteTurnRequest): Promise<ModelReply | RemoteWaiting> {
      const parsed = RemoteTurnRequestSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw ApplicationFailure.nonRetryable(`remoteAgentTurn: input from history is not what this worker understands (${issue.path.join('.')}: ${issue.message})`, 'InvalidActivityInput');
      }
      const request = parsed.data;
      const attributes = {
        'durable_teams.remote.agent': request.agent.name,
        'durable_teams.remote.card': spanUrl(request.agent.card),
        'durable_teams.run_id': request.runId,
        'durable_teams.turn': request.turn,
        'a2a.message_id': request.answer?.messageId ?? request.messageId,
      };
      return inSpan(`a2a ${request.agent.name}`, SpanKind.CLIENT, attributes, async (span) => {
        const outcome = await remoteTurn(request);
        if ('waiting' in outcome) span.setAttributes({ 'a2a.task_id': outcome.taskId, 'a2a.task.state': outcome.state });
        return outcome;
      });
    },
  };
}

function reply(content: string, card: RemoteCard): ModelReply {
  return { v: 1, content, usage: null, model: `a2a:${card.name}` };
}

/** Our failures pass as they are; the rest are classified: transient (retried) or refused (final). */
function failure(err: unknown, where: string): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (err instanceof RemoteCardError) return err.retryable ? ApplicationFailure.retryable(err.message, 'RemoteAgentUnavailable') : ApplicationFailure.nonRetryable(err.message, 'RemoteAgentCardRefused');
  let inner: unknown = err;
  while (inner instanceof Error && !(inner instanceof TransientRemoteError) && inner.cause) inner = inner.cause;
  if (inner instanceof TransientRemoteError) return ApplicationFailure.retryable(`${where} ${inner.message}`, 'RemoteAgentUnavailable');
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.nonRetryable(`${where} refused the request: ${message}`, 'RemoteAgentRefused');
}
