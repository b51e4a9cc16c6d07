import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/**
 * The custom search attributes a run keeps, so that Temporal's visibility store can find runs by
 * team, context, status and who started them without reading every memo (which a listing of
 * 100,000 runs cannot afford). They must be registered on the namespace first (see
 * src/temporal/search-attributes.ts; workflows/search-attribute-keeper.ts keeps them current): a run whose starter did not find them registered carries
 * none, and upserts none, since Temporal fails a workflow task that sets an unknown attribute.
 *
 * What they hold is not conversation text, and is stored as written even with the payload codec
 * on (Temporal must read it to index it): a team's name, a context id, a status, a flag, a time,
 * and a token's name or an address.
 */
export const RUN_SEARCH_ATTRIBUTES = {
  team: defineSearchAttributeKey('DurableTeamsTeam', SearchAttributeType.KEYWORD),
  /** The A2A context id; a run started without one is its own context (its run id). */
  contextId: defineSearchAttributeKey('DurableTeamsContextId', SearchAttributeType.KEYWORD),
  /** The run's status as the workflow last set it (its A2A state: `working`, `input-required`, ...). */
  state: defineSearchAttributeKey('DurableTeamsState', SearchAttributeType.KEYWORD),
  /** Whether the run waits on a person now. */
  waiting: defineSearchAttributeKey('DurableTeamsWaiting', SearchAttributeType.BOOL),
  /** Who started it (`token:<name>` or `address:<ip>`), as the memo's `startedBy`; absent for the CLI's runs. */
  startedBy: defineSearchAttributeKey('DurableTeamsStartedBy', SearchAttributeType.KEYWORD),
  /** When its status last changed (workflow time). */
  updatedAt: defineSearchAttributeKey('DurableTeamsUpdatedAt', SearchAttributeType.DATETIME),
} as const;

/** A starter as the memo keeps it, written as one keyword. */
export function starterKeyword(startedBy: { token: string } | { address: string }): string {
  return 'token' in startedBy ? `token:${startedBy.token}` : `address:${startedBy.address}`;
}

/** The attributes a run starts with, set by whoever starts it (as its first memo is). */
export function initialRunSearchAttributes(
  team: string,
  contextId: string,
  startedBy: { token: string } | { address: string } | null,
  now: Date,
): SearchAttributePair[] {
  const { team: teamKey, contextId: contextKey, state, waiting, startedBy: starterKey, updatedAt } = RUN_SEARCH_ATTRIBUTES;
  return [
    { key: teamKey, value: team },
    { key: contextKey, value: contextId },
    { key: state, value: 'submitted' },
    { key: waiting, value: false },
    { key: updatedAt, value: now },
    ...(startedBy ? [{ key: starterKey, value: starterKeyword(startedBy) }] : []),
  ];
}
