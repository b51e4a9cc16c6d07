import type { AgentTurnRequest, ConversationEntry, ModelReply } from '../core/activity-contract';
import { isOverBudget, type OverBudget } from '../core/budget';
import { givenMemory, memoryForTurn, type AgentMemoryDeps, type TurnMemory } from '../memory/agent-memory';
import { callAgentModel } from '../model/model-calls';
import { agentViewFor } from './conversation-views';
import type { StepDeps, StepHost } from './step-host';
import { keptReply, storeReply } from './stored-results';

/**
 * One agent's turn, the same in an activity and in runLocal: the agent's view read from the
 * store, its memory recalled, its model called, the reply stored once. A call the run's budget
 * cannot pay for is not made, and the refusal (an OverBudget) is the turn's answer: the run
 * decides what follows (see core/budget-runtime.ts).
 *
 * The model is paid once per turn, not per attempt: the answer is kept beside the reply, in the
 * same write, and an attempt after the first (its worker died, or the activity timed out, after
 * the model answered) takes the kept answer instead of asking the model again. One store read,
 * and only on an attempt after the first.
 */
export async function runAgentTurn(
  request: AgentTurnRequest,
  deps: StepDeps,
  host: Pick<StepHost, 'store' | 'model' | 'attempt'>,
): Promise<ModelReply | OverBudget> {
  const keep = request.conversation && host.attempt ? `${request.runId}/answered/${host.attempt.step}` : undefined;
  if (keep && host.attempt!.number > 1) {
    const kept = await host.store(() => keptReply(deps.store, keep));
    if (kept) return kept;
  }
  const messages = await host.store(() => agentViewFor(deps.store, request));
  const reply = await host.model(async (site) => {
    // Memory is read with the call, and what the model was shown is in its result (history tells).
    const recalled = await recall(deps.memory, request, messages, site.signal);
    const shaped = await callAgentModel({ ...request, messages, ...recalled.prompt }, { ...deps.models, ...site });
    return isOverBudget(shaped) ? shaped : { ...shaped, ...recalled.used };
  });
  if (isOverBudget(reply)) return reply;
  if (request.conversation) return host.store(() => storeReply(deps.store, request.runId, reply, `agent "${request.agent.name}"`, keep));
  const { attachments: _none, ...plain } = reply; // a run begun before the store keeps text only
  return plain;
}

/** The memory the turn shows its model; nothing for an agent without memory. */
async function recall(
  memory: AgentMemoryDeps | undefined,
  request: AgentTurnRequest,
  messages: readonly ConversationEntry[],
  signal: AbortSignal | undefined,
): Promise<TurnMemory> {
  if (!request.memory) return { prompt: {}, used: {} };
  return memoryForTurn(givenMemory(memory, request.agent.name), request, messages, signal);
}
