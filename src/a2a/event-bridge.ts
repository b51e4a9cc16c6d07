import type { StreamResponse } from '@a2a-js/sdk';
import { finalArtifactJson, messageJson, statusJson, statusUpdateJson } from '../core/a2a-json';
import type { RunEvent } from '../core/events';
import type { TeamClient } from '../client/team-client';
import { draftUpdateJson } from './draft-json';
import { eventIdAfter, type StreamEventIds } from '../http/sse-event-ids';
import { stallUpdateJson } from './stall-json';
import { fileLinkAt, streamResponse, viewOfReport } from './task-view';

export interface BridgeOptions {
  runId: string;
  contextId: string;
  people: ReadonlySet<string>;
  /** Where the front end serves files by URL (see task-view.ts); inlined when absent. */
  filesAt?: string;
  /** Follow events numbered above this. */
  after: number;
  /**
   * The request a client's answer went to, when `after` could not be known (no worker answered
   * for the run then, so `after` is 0): the events up to that request's `input_received` came
   * before the answer and the client has seen them; they are skipped, not streamed again.
   */
  answered?: string;
  signal: AbortSignal;
  /** Told the SSE id of each event just before it is yielded (see event-ids.ts). */
  ids?: StreamEventIds;
}

/**
 * Turns a run's events (read from the workflow by query, so any front-end process can serve any
 * task; one follower per run in this process, see run-feeds.ts) into A2A stream events, until the
 * task ends or waits on someone:
 * - text a model is writing: chunks of a draft artifact per call (see draft-json.ts);
 * - the run starting or resuming work: a status update `working`;
 * - each message of the conversation, as it is written: a status update `working` carrying it
 *   (agents speak as ROLE_AGENT, the task's author and human participants as ROLE_USER);
 * - a question or approval request: a status update `input-required` with the prompt and the
 *   request as a data part, and the stream ends;
 * - the end: the final answer as the `final-answer` artifact (when completed), then the final status;
 * - the run stalling (its workflow task keeps failing) or recovering: a status update `working`
 *   saying so, with `metadata.durableTeams.stalled` (see stall-json.ts).
 */
export async function* bridgeEvents(client: TeamClient, options: BridgeOptions): AsyncGenerator<StreamResponse> {
  const { runId, contextId, people, signal } = options;
  const status = (state: string, at: number, message?: unknown) =>
    streamResponse({
      statusUpdate: { taskId: runId, contextId, status: { state, timestamp: new Date(at).toISOString(), ...(message ? { message } : {}) } },
    });

  let skipping = options.answered !== undefined;
  let asked: RunEvent | null = null;
  // Each SSE event has an id: the last recorded event's number, and a count of what came since.
  let seq = options.after;
  let since = 0;
  const tag = (recorded?: number) => {
    if (recorded !== undefined) [seq, since] = [recorded, 0];
    else since += 1;
    options.ids?.next(eventIdAfter(seq, since));
  };
  const drafts = new Set<string>(); // draft artifacts this stream has begun
  // Messages this stream has carried: the final status does not carry one again (a client that
  // joins a stream's texts, as Agent Framework's A2AAgent does, would read the answer twice).
  const sent = new Set<string>();
  for await (const item of client.watch(runId, { after: options.after, signal })) {
    if (item.type === 'stall') {
      tag();
      yield streamResponse({ statusUpdate: stallUpdateJson(runId, contextId, item.stall, Date.now()) });
      continue;
    }
    if (item.type === 'waiting') continue; // a stream says nothing until the run moves again
    if (item.type === 'live') {
      if (skipping) continue;
      const key = `${item.item.turn}-${item.item.call}`;
      const append = drafts.has(key) && item.item.type !== 'reset';
      if (item.item.type === 'done') drafts.delete(key);
      else drafts.add(key);
      tag();
      yield streamResponse({ artifactUpdate: draftUpdateJson(runId, contextId, item.item, append) });
      continue;
    }
    const { event } = item;
    tag(event.seq);
    if (skipping && event.type !== 'run_finished') {
      if (event.type === 'input_requested' && event.request.requestId === options.answered) asked = event;
      if (event.type === 'input_received' && event.requestId === options.answered) skipping = false;
      // Refused (answered already, say): the question still stands, as the client last saw it.
      if (event.type === 'answer_refused' && event.requestId === options.answered && asked) {
        yield* ending(asked);
        return;
      }
      continue;
    }
    const update = mapEvent(event);
    if (update) yield update;
    if (event.type === 'input_requested' || event.type === 'run_finished') {
      yield* ending(event);
      return;
    }
  }
  tag();
  // Ended with no run_finished (terminated from outside): the report says how.
  if (!signal.aborted)
    yield* ending({ type: 'run_finished', status: 'failed', stop: null, error: null, rejection: null, seq: 0, at: Date.now() });

  function mapEvent(event: RunEvent): StreamResponse | null {
    if (event.type === 'status_changed' && event.status === 'working') return status('TASK_STATE_WORKING', event.at);
    if (event.type === 'message' && event.message.index > 0) {
      const message = messageJson({ runId, contextId }, event.message, people);
      sent.add(message.messageId);
      return status('TASK_STATE_WORKING', event.at, message);
    }
    return null;
  }

  async function* ending(event: RunEvent): AsyncGenerator<StreamResponse> {
    if (event.type === 'input_requested') {
      const view = {
        runId,
        contextId,
        team: null,
        status: 'input-required' as const,
        updatedAt: event.at,
        messages: [],
        pendingInput: event.request,
        stopReason: null,
        error: null,
      };
      yield streamResponse({ statusUpdate: statusUpdateJson(view, people) });
      return;
    }
    // The end: the run's own report has the answer and the reason, whichever process wrote them.
    const view = { ...viewOfReport(await client.report(runId, 20)), contextId };
    const artifact = finalArtifactJson(view, people, fileLinkAt(options.filesAt, runId));
    if (artifact) yield streamResponse({ artifactUpdate: { taskId: runId, contextId, artifact, append: false, lastChunk: true } });
    tag();
    const { message, ...final } = statusJson(view, people);
    const fresh = message && !sent.has(message.messageId) ? { message } : {};
    yield streamResponse({ statusUpdate: { taskId: runId, contextId, status: { ...final, ...fresh } } });
  }
}
