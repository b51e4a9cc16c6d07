import { ApplicationFailure } from '@temporalio/activity';
import type { CustomSelection, CustomSelectionRequest } from '../src/core/activity-contract';
import { SpeakerFunctionError, type SpeakerFunctions } from '../src/tools/speaker-functions';
import type { ConversationStore } from '../src/store/conversation-store';
import { runCustomSelectionStep } from '../src/steps/custom-selection';
import { withStore } from './store-access';
import { parseInput } from './parse-input';
import { CustomSelectionRequestSchema } from '../src/contract/model-requests';

export function createSpeakerFunctionActivities(functions: SpeakerFunctions, store: ConversationStore) {
  return {
    /** The team's selector function and candidate filter, run on the worker that has their code. */
    async customSelection(input: CustomSelectionRequest): Promise<CustomSelection> {
      const request = parseInput(CustomSelectionRequestSchema, input, 'customSelection');
      try {
        return await runCustomSelectionStep(request, { store, functions }, { store: withStore });
      } catch (err) {
        // A missing function or a choice outside the team is the deployment's mistake: no retry fixes it.
        if (err instanceof SpeakerFunctionError) throw ApplicationFailure.nonRetryable(err.message, 'SpeakerFunctionError');
        throw err;
      }
    },
  };
}
