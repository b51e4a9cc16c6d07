import type { RunStatus } from '../../core/status';
import { TEAM_RUN_WORKFLOW } from '../../../workflows/definitions';
import { RUN_SEARCH_ATTRIBUTES } from '../../visibility/run-attributes';
import type { QueryMode } from '../../temporal/search-attributes';

export type { QueryMode } from '../../temporal/search-attributes';

/** Which runs a listing wants. Every field narrows; none: every team run. */
export interface RunFilter {
  taskQueue?: string;
  /** Runs of any of these teams. */
  teams?: readonly string[];
  /** Runs of this A2A context (a run started without one is its own context). */
  contextId?: string;
  status?: RunStatus;
  /** Runs waiting on a person now. */
  waiting?: boolean;
  /** Runs in progress (Temporal's `Running`, waiting on a person included). */
  running?: boolean;
  /** Runs this caller started, as its keyword (`token:<name>` or `address:<ip>`; see starterKeyword). */
  startedBy?: string;
  /** Runs whose status changed at or after this time. */
  updatedSince?: Date;
  /** Only these run ids. */
  ids?: readonly string[];
}

/** Temporal's execution status that a run status implies (the memo's status decides the rest). */
const EXECUTION_OF: Record<RunStatus, string> = {
  submitted: 'Running',
  working: 'Running',
  'input-required': 'Running',
  'auth-required': 'Running',
  completed: 'Completed',
  rejected: 'Completed',
  canceled: 'Canceled',
  failed: 'Failed',
};

/** A visibility string literal. Quotes and backslashes cannot be escaped there, so they go: such a value then matches nothing it should not. */
export const literal = (text: string) => `'${text.replace(/['\\]/g, '')}'`;

const { team: TEAM, contextId: CONTEXT, state: STATE, startedBy: STARTED_BY, updatedAt: UPDATED_AT } = RUN_SEARCH_ATTRIBUTES;
const OUTSIDE_ENDS = `(ExecutionStatus = 'Terminated' OR ExecutionStatus = 'TimedOut')`;
const NOT_OUTSIDE_ENDS = [`ExecutionStatus != 'Terminated'`, `ExecutionStatus != 'TimedOut'`];

/**
 * The visibility query for a filter. With the attributes, it is exact: it says what runStatusOf
 * says (a run terminated or timed out from outside is `failed` whatever its attribute says). For
 * runs without them it is a superset, to be filtered by memo; so are `memo` queries.
 */
export function runVisibilityQuery(filter: RunFilter, mode: QueryMode): string {
  const common = [`WorkflowType = '${TEAM_RUN_WORKFLOW}'`];
  if (filter.taskQueue !== undefined) common.push(`TaskQueue = ${literal(filter.taskQueue)}`);
  if (filter.ids) common.push(`WorkflowId IN (${filter.ids.map(literal).join(', ') || "''"})`);
  if (filter.running || filter.waiting) common.push(`ExecutionStatus = 'Running'`);
  if (mode === 'memo') return [...common, ...memoConditions(filter)].join(' AND ');

  const indexed = [`${TEAM.name} IS NOT NULL`, ...indexedConditions(filter)].join(' AND ');
  if (mode === 'indexed') return [...common, indexed].join(' AND ');
  const legacy = [`${TEAM.name} IS NULL`, ...memoConditions(filter)].join(' AND ');
  return [...common, `((${indexed}) OR (${legacy}))`].join(' AND ');
}

function indexedConditions(filter: RunFilter): string[] {
  const parts: string[] = [];
  if (filter.teams) parts.push(`${TEAM.name} IN (${filter.teams.map(literal).join(', ') || "''"})`);
  if (filter.contextId !== undefined) parts.push(`${CONTEXT.name} = ${literal(filter.contextId)}`);
  if (filter.waiting) parts.push(`${STATE.name} = 'input-required'`);
  if (filter.status === 'failed') parts.push(`(${STATE.name} = 'failed' OR ${OUTSIDE_ENDS})`);
  else if (filter.status) parts.push(`${STATE.name} = ${literal(filter.status)}`, ...NOT_OUTSIDE_ENDS);
  if (filter.startedBy !== undefined) parts.push(`${STARTED_BY.name} = ${literal(filter.startedBy)}`);
  if (filter.updatedSince) parts.push(`${UPDATED_AT.name} >= '${filter.updatedSince.toISOString()}'`);
  return parts;
}

/** What visibility can tell of a run without its attributes: its id's team prefix and Temporal's status. */
function memoConditions(filter: RunFilter): string[] {
  const parts: string[] = [];
  if (filter.teams?.length === 1) parts.push(`WorkflowId STARTS_WITH ${literal(`${filter.teams[0]}-`)}`);
  // A failed run may also be terminated or timed out; the memo tells the rest.
  if (filter.status && filter.status !== 'failed' && !filter.waiting) parts.push(`ExecutionStatus = '${EXECUTION_OF[filter.status]}'`);
  return parts;
}
