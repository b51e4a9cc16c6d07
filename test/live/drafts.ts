import type { StreamResponse } from '@a2a-js/sdk';

export type Draft = { text: string; chunks: number; resets: number };

/** Per draft artifact of a stream: the text its chunks built, how many chunks, how many resets. */
export function draftsOf(events: StreamResponse[]): Map<string, Draft> {
  const drafts = new Map<string, Draft>();
  for (const event of events) {
    const p = event.payload;
    if (p?.$case !== 'artifactUpdate' || !p.value.artifact?.artifactId.startsWith('draft-')) continue;
    const id = p.value.artifact.artifactId;
    const text = p.value.artifact.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('');
    const before = drafts.get(id) ?? { text: '', chunks: 0, resets: 0 };
    const reset = Boolean(
      (p.value.artifact.metadata as { durableTeams?: { draft?: { reset?: string } } } | undefined)?.durableTeams?.draft?.reset,
    );
    drafts.set(id, {
      text: (p.value.append ? before.text : '') + text,
      chunks: before.chunks + 1,
      resets: before.resets + (reset ? 1 : 0),
    });
  }
  return drafts;
}
