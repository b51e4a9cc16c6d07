import type OpenAI from 'openai';
import type { AgentTurnRequest } from '../core/requests';

type ChatMessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function defaultSystemMessage(agent: AgentTurnRequest['agent']): string {
  return `You are ${agent.name}, a member of a team working on a task together. ${agent.description}`;
}

/**
 * The conversation from one agent's point of view: its own messages are the assistant's, everyone
 * else's are user messages carrying the author's name, as OpenAI's multi-party format has it.
 */
export function agentChatMessages(request: AgentTurnRequest): ChatMessageParam[] {
  const { agent } = request;
  const system: ChatMessageParam = { role: 'system', content: agent.systemMessage ?? defaultSystemMessage(agent) };
  return [
    system,
    ...request.messages.map((m): ChatMessageParam =>
      m.source === agent.name
        ? { role: 'assistant', content: m.content }
        : { role: 'user', content: m.content, name: m.source },
    ),
  ];
}
