import type { Client } from '@temporalio/client';
import { RUN_SEARCH_ATTRIBUTES } from '../../visibility/run-attributes';
import type { RunStarter } from '../../temporal/run-starter';
import { readRunStarter } from '../../temporal/run-starter';
import type { SearchAttributeSupport } from '../../temporal/search-attributes';
import { executionsPage, listExecutions, type ListedExecution } from './list-executions';
import { before, orderKey, PageTokenError, readCursor, writeCursor, type OrderKey } from './page-cursor';
import { matchesFilter } from './run-matcher';
import { runVisibilityQuery, type QueryMode, type RunFilter } from './run-query';

/** Whether the caller may see a run started by this starter (see access/access.ts); absent: every run. */
export type Reach = (startedBy: RunStarter | null) => boolean;

/** Runs a paged listing looks through when it must filter by memo; a team with more should be listed with filters. */
export const MAX_LISTED = 10_000;

export interface ListedPage {
  runs: ListedExecution[];
  /** Empty on the last page. */
  nextPageToken: string;
  /** How many runs the whole listing has. */
  totalSize: number;
}

/**
 * The one way runs are listed, for the CLI, the console and A2A's ListTasks alike: a filter and a
 * reach check in, the runs they admit out, in visibility's order (in progress first, newest
 * first). Where the namespace has the run search attributes visibility does the filtering (and
 * the paging); runs begun before them, or a namespace without them, are filtered by memo on the
 * way (see run-query.ts and run-matcher.ts). Visibility may lag a second behind a change.
 */
export class RunLister {
  constructor(
    private readonly client: Client,
    private readonly support: SearchAttributeSupport,
  ) {}

  /**
   * Every run the filter and `reach` admit, as visibility lists them. `want`: how many the caller
   * means to take, so that where visibility applies every condition it is asked for no more.
   */
  async *runs(filter: RunFilter, { reach, want }: { reach?: Reach; want?: number } = {}): AsyncGenerator<ListedExecution> {
    const mode = await this.support.queryMode();
    const batch = mode === 'indexed' && want !== undefined ? Math.min(Math.max(want, 1), 1_000) : undefined;
    for await (const info of listExecutions(this.client, runVisibilityQuery(filter, mode), batch)) {
      if (admits(info, filter, reach)) yield info;
    }
  }

  /**
   * One page of the runs the filter admits, `pageToken` being the previous page's `nextPageToken`
   * (a bad one throws PageTokenError). With the attributes, a page costs one list call and one
   * count, however many runs there are; filtered by memo, runs are looked through up to MAX_LISTED.
   */
  async page(
    filter: RunFilter,
    { pageSize, pageToken, reach }: { pageSize: number; pageToken?: string; reach?: Reach },
  ): Promise<ListedPage> {
    const cursor = readCursor(pageToken);
    const mode = await this.support.queryMode();
    if (mode === 'memo' && cursor && 'indexed' in cursor)
      throw new PageTokenError('pageToken is from a listing this server no longer makes; list again from the first page');
    const wanted = { filter, reach, mode };
    return mode === 'memo' || (cursor && 'scan' in cursor)
      ? this.scannedPage(wanted, pageSize, cursor && 'scan' in cursor ? cursor.scan : null)
      : this.indexedPage(wanted, pageSize, cursor && 'indexed' in cursor ? cursor.indexed : null);
  }

  /** These runs as visibility lists them, whatever attributes they have (or none yet). */
  byIds(runIds: readonly string[]): AsyncGenerator<ListedExecution> {
    return listExecutions(this.client, runVisibilityQuery({ ids: runIds }, 'memo'));
  }

  /** Visibility filters and pages; runs without attributes (mode `indexed+memo`) are checked by memo on the way. */
  private async indexedPage(wanted: Wanted, pageSize: number, token: string | null): Promise<ListedPage> {
    const query = runVisibilityQuery(wanted.filter, wanted.mode);
    const runs: ListedExecution[] = [];
    let pageToken: Uint8Array | undefined = token ? Buffer.from(token, 'base64url') : undefined;
    do {
      // Asking for just the rest of the page means a page never holds more than pageSize.
      const listed = await executionsPage(this.client, query, pageSize - runs.length, pageToken);
      runs.push(...listed.executions.filter((info) => admits(info, wanted.filter, wanted.reach)));
      pageToken = listed.nextPageToken;
    } while (runs.length < pageSize && pageToken);
    // Visibility gives a token whenever a page is full, even with nothing after it: look one run ahead.
    const after = pageToken;
    const [more, total] = await Promise.all([
      after ? executionsPage(this.client, query, 1, after).then(({ executions }) => executions.length > 0) : false,
      // A first page with nothing after it is the whole list (a context's tasks, often): no count needed.
      !token && !after ? null : this.count(wanted),
    ]);
    return {
      runs,
      nextPageToken: more && after ? writeCursor({ indexed: Buffer.from(after).toString('base64url') }) : '',
      totalSize: total ?? runs.length,
    };
  }

  /** Exact: visibility counts the runs with attributes; runs without them are counted by memo. */
  private async count({ filter, reach, mode }: Wanted): Promise<number> {
    const indexed = this.client.workflow.count(runVisibilityQuery(filter, 'indexed')).then(({ count }) => count);
    if (mode === 'indexed') return indexed;
    let legacy = 0;
    const query = `${runVisibilityQuery(filter, 'memo')} AND ${RUN_SEARCH_ATTRIBUTES.team.name} IS NULL`;
    for await (const info of listExecutions(this.client, query)) {
      if (admits(info, filter, reach)) legacy += 1;
      if (legacy >= MAX_LISTED) break;
    }
    return (await indexed) + legacy;
  }

  /** Every admitted run, by memo, up to MAX_LISTED, in visibility's order; the page after the cursor. */
  private async scannedPage(wanted: Wanted, pageSize: number, cursor: OrderKey | null): Promise<ListedPage> {
    const matching: ListedExecution[] = [];
    for await (const info of listExecutions(this.client, runVisibilityQuery(wanted.filter, wanted.mode))) {
      if (!admits(info, wanted.filter, wanted.reach)) continue;
      matching.push(info);
      if (matching.length >= MAX_LISTED) break;
    }
    matching.sort((a, b) => (before(orderKey(a), orderKey(b)) ? -1 : 1));
    const from = cursor ? matching.findIndex((info) => before(cursor, orderKey(info))) : 0;
    const start = from < 0 ? matching.length : from;
    const runs = matching.slice(start, start + pageSize);
    const last = runs.at(-1);
    const more = start + pageSize < matching.length;
    return { runs, nextPageToken: more && last ? writeCursor({ scan: orderKey(last) }) : '', totalSize: matching.length };
  }
}

interface Wanted {
  filter: RunFilter;
  reach: Reach | undefined;
  mode: QueryMode;
}

function admits(info: ListedExecution, filter: RunFilter, reach: Reach | undefined): boolean {
  return matchesFilter(info, filter) && (!reach || reach(readRunStarter(info)));
}
