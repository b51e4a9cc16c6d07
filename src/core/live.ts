/**
 * Text a model is writing, before it is recorded. Live items are ephemeral: they travel from the
 * worker that runs a call to the front ends that watch the run, and are never written into the
 * workflow's history or the conversation store. The recorded message, when the call completes,
 * is what lasts; a watcher that misses live items loses nothing but the preview.
 */

/** Which model call is writing: a turn's speaker (each tool round its own call) or the selector. */
export interface LiveSource {
  runId: string;
  turn: number;
  /** The agent speaking, or `selector` while the next speaker is being chosen. */
  agent: string;
  /**
   * Which model call of the run (its activity id): a turn with tool rounds, or a selector that
   * tries again, makes several calls; every attempt of one call shares it.
   */
  call: string;
  /** Temporal's attempt number of the activity: a new attempt starts the preview again. */
  attempt: number;
}

export type LiveItem =
  /**
   * More text, in order: of the reply; with `tool`, of the arguments of that tool's call being
   * written, or (an MCP tool's call, its own source) of the progress the call reports.
   */
  | (LiveSource & { type: 'delta'; text: string; tool?: string })
  /** Everything previewed for this source so far is void: the call is being tried again. */
  | (LiveSource & { type: 'reset'; reason: string })
  /** The call ended (its reply is being recorded, or it failed): the preview is over. */
  | (LiveSource & { type: 'done' })
  /**
   * The run's recorded events changed (or, with `soon`, are about to: a reply is being recorded):
   * a follower should ask now, not at its next poll. Sent by workers from before the read model
   * (whose followers hear every step in history as it is written); still heard for their runs.
   */
  | { type: 'nudge'; runId: string; soon?: boolean };

/** What a watcher is shown of a call being written: everything but the nudges meant for followers. */
export type DraftItem = Exclude<LiveItem, { type: 'nudge' }>;

/** Where a worker sends live items. Sending never waits on a watcher and never fails the call. */
export interface LivePublisher {
  publish(item: LiveItem): void;
}

/** A publisher that sends nowhere, for calls made where nobody can watch. */
export const NO_LIVE: LivePublisher = { publish: () => undefined };

/** The key of one preview: the same source in a later attempt replaces it. */
export const liveKey = (source: Pick<LiveSource, 'call'>): string => source.call;
