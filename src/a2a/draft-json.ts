import type { DraftItem } from '../core/live';

/**
 * Text being written, in A2A terms: a chunked artifact update per model call. A2A v1.0 streams
 * partial content as artifact chunks (`append` adds to the artifact of the same id, `lastChunk`
 * closes it), which is what a reply being written is; status updates carry whole messages, and
 * one per token would make every client redraw the task's status. The draft is ephemeral: the
 * recorded message follows in a status update as before, and GetTask never lists drafts. A retried
 * call sends a chunk with `append: false` and empty text, replacing what the failed attempt wrote.
 */
export function draftUpdateJson(runId: string, contextId: string, item: DraftItem, append: boolean): Record<string, unknown> {
  const writer = item.agent === 'selector' ? 'the selector' : item.agent;
  const draft = {
    turn: item.turn,
    agent: item.agent,
    attempt: item.attempt,
    ...(item.type === 'delta' && item.tool ? { tool: item.tool } : {}),
    ...(item.type === 'reset' ? { reset: item.reason } : {}),
  };
  return {
    taskId: runId,
    contextId,
    artifact: {
      artifactId: `draft-${item.turn}-${item.call}`,
      name: `${writer} writing (turn ${item.turn})`,
      description: 'Text being written; the recorded message follows in a status update.',
      parts: [{ text: item.type === 'delta' ? item.text : '' }],
      metadata: { durableTeams: { draft } },
    },
    append,
    lastChunk: item.type === 'done',
  };
}
