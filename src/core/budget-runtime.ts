import type { TeamSpec } from '../spec/team';
import type { BudgetSpec } from '../spec/budget';
import type { AgentTurnRequest, ModelReply, NestedTurnRequest, SelectSpeakerRequest } from './activity-contract';
import { askPerson } from './ask-person';
import {
  addSpend,
  applyRaise,
  checkFor,
  innerBudget,
  isOverBudget,
  overBudgetReason,
  startBudget,
  type BudgetCheck,
  type BudgetState,
  type OverBudget,
} from './budget';
import type { InputDraft } from './human-requests';
import type { NestedRejected } from './nested-outcome';
import type { RunRecorder } from './recorder';
import { INTERRUPTED, isInterrupted, type Interrupted, type TeamRuntime } from './team-runtime';

/** A runtime whose model calls may come back refused for the budget (their activity checked it). */
export type BudgetedRuntime = Omit<TeamRuntime, 'agentTurn' | 'selectSpeaker'> & {
  agentTurn(request: AgentTurnRequest): Promise<ModelReply | OverBudget | Interrupted>;
  selectSpeaker(request: SelectSpeakerRequest): Promise<ModelReply | OverBudget | Interrupted>;
};

/**
 * The team's budget around a runtime. Each model call (agent turns, tool rounds, reflection,
 * selector attempts) carries what is left; its activity counts the prompt and, when the call
 * would go over, answers so without calling, and that answer is in history before anything
 * else happens. Then the run stops (`onExceed: stop`, its stop reason naming the budget) or
 * asks a person to raise the limit (the call is checked again) or stop. What each call really
 * used is added after it. A nested team runs on what is left and its spend counts here.
 * A team without a budget gets the runtime as it is: no field in any request, no new command.
 */
export function withBudget(team: TeamSpec, run: RunRecorder, runtime: BudgetedRuntime): TeamRuntime {
  const spec = team.budget;
  if (!spec) return runtime as TeamRuntime;
  const budget = (run.state.budget ??= startBudget(spec));

  async function guarded(
    model: string | undefined,
    call: (check: BudgetCheck) => Promise<ModelReply | OverBudget | Interrupted>,
  ): Promise<ModelReply | Interrupted> {
    for (;;) {
      const check = checkFor(budget, model, spec!);
      const reply = await call(check);
      if (isInterrupted(reply)) return reply;
      if (!isOverBudget(reply)) {
        addSpend(budget, reply.usage, check.price);
        return reply;
      }
      if ((await overBudget(run, runtime, budget, reply)) === 'stop') return INTERRUPTED;
    }
  }

  return {
    ...runtime,
    agentTurn: (request) => guarded(request.agent.settings.model, (b) => runtime.agentTurn({ ...request, budget: b })),
    selectSpeaker: (request) => guarded(request.settings.model, (b) => runtime.selectSpeaker({ ...request, budget: b })),
    ...(runtime.nestedTurn ? { nestedTurn: (request) => nestedTurn(runtime.nestedTurn!, request, budget, spec) } : {}),
    ...(runtime.remoteTurn
      ? {
          remoteTurn: async (request) => {
            const reply = await runtime.remoteTurn!(request);
            // A remote agent's usage counts when its task reports it (unpriced: its model is not ours to know).
            if (!isInterrupted(reply) && 'usage' in reply) addSpend(budget, reply.usage, null);
            return reply;
          },
        }
      : {}),
  };
}

/** The inner run gets what is left of this budget; what it spent (selector and its own nested teams too) counts here. */
async function nestedTurn(
  call: NonNullable<TeamRuntime['nestedTurn']>,
  request: NestedTurnRequest,
  budget: BudgetState,
  spec: BudgetSpec,
): Promise<ModelReply | NestedRejected | Interrupted> {
  const team = { ...request.team, budget: innerBudget(budget, spec, request.team.budget) };
  const reply = await call({ ...request, team });
  if (isInterrupted(reply) || !('content' in reply)) return reply;
  if (reply.spend) {
    budget.spentTokens += reply.spend.totalTokens;
    budget.spentUsd += reply.spend.costUsd;
  } else addSpend(budget, reply.usage, null);
  return reply;
}

/** Stops the run, or asks a person: 'raised' to check the call again, 'stop' when the run is to end. */
async function overBudget(
  run: RunRecorder,
  runtime: Pick<TeamRuntime, 'waitForHuman'>,
  budget: BudgetState,
  over: OverBudget,
): Promise<'raised' | 'stop'> {
  const reason = overBudgetReason(budget, over);
  if (budget.onExceed === 'stop') {
    run.stopForBudget(reason);
    return 'stop';
  }
  const answer = await askPerson(run, runtime, budgetDraft(budget, over, reason));
  if (answer === 'interrupted') return 'stop';
  if (answer.action === 'raise' && answer.raise) {
    applyRaise(budget, answer.raise);
    return 'raised';
  }
  const who = answer.by ? ` by ${answer.by}` : '';
  run.stopForBudget(`${reason}; stopped${who}`);
  return 'stop';
}

function budgetDraft(budget: BudgetState, over: OverBudget, reason: string): InputDraft {
  return {
    kind: 'budget',
    reason: 'budget',
    from: 'budget',
    to: 'user',
    prompt: `${reason}. Raise the limit to go on, or stop the run.`,
    timeout: undefined,
    budget: {
      maxTotalTokens: budget.maxTotalTokens,
      maxCostUsd: budget.maxCostUsd,
      spentTokens: budget.spentTokens,
      spentUsd: budget.spentUsd,
      needsTokens: over.needsTokens,
      needsUsd: over.needsUsd,
    },
  };
}
