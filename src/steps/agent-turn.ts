import type { AgentTurnRequest, ConversationEntry, ModelReply } from '../core/activity-contract';
import { isOverBudget, type OverBudget } from '../core/budget';
import { givenMemory, memoryForTurn, type AgentMemoryDeps, type TurnMemory } from '../memory/agent-memory';
import { callAgentModel } from '../model/model-calls';
import { agentViewFor } from './conversation-views';
import type { StepDeps, StepHost } from './step-host';
import { storeReply } from './stored-results';

/**
 * One agent's turn, the same in an activity and in runLocal: the agent's view read from the
 * store, its memory recalled, its model called, the reply stored once. A call the run's budget
 * cannot pay for is not made, and the refusal (an OverBudget) is the turn's answer: the run
 * decides what follows (see core/budget-runtime.ts).
 */
export async function runAgentTurn(
  request: AgentTurnRequest,
  deps: StepDeps,
  host: Pick<StepHost, 'store' | 'model'>,
): Promise<ModelReply | OverBudget> {
  const messages = await host.store(() => agentViewFor(deps.store, request));
  const reply = await host.model(async (site) => {
    // Memory is read with the call, and what the model was shown is in its result (history tells).
    const recalled = await recall(deps.memory, request, messages, site.signal);
    const shaped = await callAgentModel({ ...request, messages, ...recalled.prompt }, { ...deps.models, ...site });
    return isOverBudget(shaped) ? shaped : { ...shaped, ...recalled.used };
  });
  if (isOverBudget(reply)) return reply;
  if (request.conversation) return host.store(() => storeReply(deps.store, request.runId, reply, `agent "${request.agent.name}"`));
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
