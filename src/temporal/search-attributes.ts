import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TEAM_RUN_WORKFLOW } from '../../workflows/definitions';
import { RUN_SEARCH_ATTRIBUTES } from '../visibility/run-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

/** Each attribute's name and type, as Temporal registers it. */
const TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = Object.fromEntries(
  Object.values(RUN_SEARCH_ATTRIBUTES).map((key) => [key.name, IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]]),
);

/** The names, for messages and for `temporal operator search-attribute create`. */
export const RUN_SEARCH_ATTRIBUTE_NAMES: readonly string[] = Object.keys(TYPES);

/** `temporal server start-dev` flags that register the attributes when the dev server starts. */
export function devServerSearchAttributeArgs(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool', DATETIME: 'Datetime' };
  return Object.values(RUN_SEARCH_ATTRIBUTES).flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}

/** The run attributes the namespace lacks (none: all registered). */
export async function missingSearchAttributes(client: Client): Promise<string[]> {
  const { namespace } = client.options;
  const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
  return RUN_SEARCH_ATTRIBUTE_NAMES.filter((name) => customAttributes?.[name] !== TYPES[name]);
}

/**
 * Registers the attributes the namespace lacks, through Temporal's operator API (as
 * `temporal operator search-attribute create` does); answers the names it added. An attribute
 * registered under the same name with another type is an error that names it: Temporal cannot
 * change a type, and the listings would go wrong on it.
 */
export async function registerSearchAttributes(client: Client): Promise<string[]> {
  const { namespace } = client.options;
  const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
  const clash = RUN_SEARCH_ATTRIBUTE_NAMES.find((name) => customAttributes?.[name] !== undefined && customAttributes[name] !== TYPES[name]);
  if (clash)
    throw new Error(
      `search attribute ${clash} is registered in namespace "${namespace}" as ${IndexedValueType[customAttributes![clash]!]}, not ${IndexedValueType[TYPES[clash]!]}; remove it (temporal operator search-attribute remove) and register again`,
    );
  const missing = RUN_SEARCH_ATTRIBUTE_NAMES.filter((name) => customAttributes?.[name] === undefined);
  if (missing.length === 0) return [];
  await client.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, TYPES[name]!])),
  });
  return missing;
}

/** A start refused because the server does not know an attribute yet ("search attribute X is not defined"). */
export function isUnknownSearchAttribute(err: unknown): boolean {
  for (let e = err as { message?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (typeof e.message === 'string' && /search attribute \S+ is not defined/i.test(e.message)) return true;
  return false;
}

/** How long a client trusts "not registered" before asking again (registering takes no restart). */
const RECHECK_MS = 60_000;

/**
 * How a listing finds runs: `indexed` through the run search attributes alone; `indexed+memo`
 * also, for runs begun before them (which have none), by what visibility knows without them,
 * with the caller filtering those by their memos; `memo` as before the attributes (not registered).
 */
export type QueryMode = 'indexed' | 'indexed+memo' | 'memo';

/**
 * Whether this namespace has the run attributes, asked once and remembered: "yes" for good (they
 * are not removed under running clients), "no" for a minute. A server that will not say (an API
 * key without operator rights, say) counts as "no": the runs then carry none, and listings read
 * memos as before.
 */
export class SearchAttributeSupport {
  private known: Promise<boolean> | null = null;
  private askedAt = 0;
  private legacy: { count: Promise<number>; at: number } | null = null;

  constructor(
    private readonly client: Client,
    /** false: answer "not registered" without asking. */
    private readonly enabled = true,
  ) {}

  registered(): Promise<boolean> {
    if (!this.enabled) return Promise.resolve(false);
    if (this.known && (this.askedAt === 0 || Date.now() - this.askedAt < RECHECK_MS)) return this.known;
    const asked = missingSearchAttributes(this.client).then(
      (missing) => missing.length === 0,
      () => false,
    );
    this.known = asked;
    this.askedAt = Date.now();
    void asked.then((yes) => {
      if (yes) this.askedAt = 0;
    });
    return asked;
  }

  /** The server refused them though the namespace lists them (its caches lag a registration by up to a minute): ask again later. */
  notYet(): void {
    this.known = Promise.resolve(false);
    this.askedAt = Date.now();
  }

  /**
   * How listings find runs here (see run-query.ts): through the attributes, and also through
   * memos while the namespace still holds runs begun before them (counted every few minutes;
   * retention removes them, and no new run lacks them once they are registered).
   */
  async queryMode(): Promise<QueryMode> {
    if (!(await this.registered())) return 'memo';
    if (!this.legacy || Date.now() - this.legacy.at > LEGACY_RECOUNT_MS) {
      const query = `WorkflowType = '${TEAM_RUN_WORKFLOW}' AND ${RUN_SEARCH_ATTRIBUTES.team.name} IS NULL`;
      const count = this.client.workflow.count(query).then(
        ({ count }) => count,
        () => 1, // unknown: keep the fallback
      );
      this.legacy = { count, at: Date.now() };
    }
    return (await this.legacy.count) > 0 ? 'indexed+memo' : 'indexed';
  }
}

/** How often a client counts the runs without attributes again. */
const LEGACY_RECOUNT_MS = 5 * 60_000;
