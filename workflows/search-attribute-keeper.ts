import { upsertSearchAttributes } from '@temporalio/workflow';
import type { RunState } from '../src/core/state';
import { RUN_SEARCH_ATTRIBUTES } from '../src/visibility/run-attributes';

/**
 * Keeps the run's status in its search attributes, on each status change, when its starter gave
 * it attributes (`enabled`: the input's `searchAttributes`). Old runs have no such input, so their
 * histories replay with no upsert.
 */
export function searchAttributeKeeper(enabled: boolean): (state: RunState) => void {
  return (state) => {
    if (!enabled) return;
    const { state: stateKey, waiting, updatedAt } = RUN_SEARCH_ATTRIBUTES;
    upsertSearchAttributes([
      { key: stateKey, value: state.status },
      { key: waiting, value: state.pendingInput !== null },
      { key: updatedAt, value: new Date(state.updatedAt) },
    ]);
  };
}
