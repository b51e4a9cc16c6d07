import type { CustomSelection, CustomSelectionRequest } from '../core/activity-contract';
import { runCustomSelection, type SpeakerFunctions } from '../tools/speaker-functions';
import { sharedViewFor } from './conversation-views';
import type { StepDeps, StepHost } from './step-host';

/**
 * The team's selector function and candidate filter, the same in an activity and in runLocal:
 * they see the shared conversation, read from the store.
 */
export async function runCustomSelectionStep(
  request: CustomSelectionRequest,
  deps: Pick<StepDeps, 'store'> & { functions: SpeakerFunctions },
  host: Pick<StepHost, 'store'>,
): Promise<CustomSelection> {
  const messages = await host.store(() => sharedViewFor(deps.store, request));
  return runCustomSelection(deps.functions, { ...request, messages });
}
