import type { ModelReply, SelectSpeakerRequest } from '../core/activity-contract';
import type { OverBudget } from '../core/budget';
import { callSelectorModel } from '../model/model-calls';
import { selectorPromptFor } from './conversation-views';
import type { StepDeps, StepHost } from './step-host';

/**
 * One attempt at choosing the next speaker, the same in an activity and in runLocal: the
 * selector's prompt made whole from the store, sent to its model. Its answer is not stored: the
 * run reads the name from it (and a refusal for the budget comes back as an OverBudget, as for
 * an agent's turn).
 */
export async function runSelectorAttempt(
  request: SelectSpeakerRequest,
  deps: Pick<StepDeps, 'store' | 'models'>,
  host: Pick<StepHost, 'store' | 'model'>,
): Promise<ModelReply | OverBudget> {
  const messages = await host.store(() => selectorPromptFor(deps.store, request));
  return host.model((site) => callSelectorModel({ ...request, messages }, { ...deps.models, ...site }));
}
