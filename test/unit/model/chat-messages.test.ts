import type { AgentTurnRequest } from '../../../src/core/activity-contract';
import { agentChatMessages } from '../../../src/model/chat-messages';
import type { AgentPrompt } from '../../../src/model/model-calls';

const request = (messages: AgentPrompt['messages']): AgentPrompt => ({
  v: 1,
  runId: 'r',
  turn: 0,
  agent: {
    name: 'planner',
    description: 'Plans.',
    systemMessage: 'sys',
    settings: { model: 'm' } as AgentTurnRequest['agent']['settings'],
  },
  messages,
});

describe('the conversation as the model sees it', () => {
  it('keeps a call next to its results when a person spoke in between, and moves what they said after', () => {
    const chat = agentChatMessages(
      request([
        { source: 'user', content: 'Get it reviewed.' },
        { source: 'planner', content: '', kind: 'tool_call', toolCalls: [{ id: 'c1', name: 'review', arguments: '{"message":"draft"}' }] },
        { source: 'user', content: 'approve: fine by me' },
        {
          source: 'planner',
          content: '',
          kind: 'tool_result',
          toolResults: [{ callId: 'c1', name: 'review', content: 'APPROVED', isError: false }],
        },
      ]),
    );
    expect(chat.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(chat[3]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'APPROVED' });
    expect(chat[4]).toEqual({ role: 'user', content: 'approve: fine by me', name: 'user' });
  });

  it('leaves out a call whose results never came', () => {
    const chat = agentChatMessages(
      request([
        { source: 'planner', content: '', kind: 'tool_call', toolCalls: [{ id: 'c1', name: 'review', arguments: '{}' }] },
        { source: 'user', content: 'stop' },
      ]),
    );
    expect(chat.map((m) => m.role)).toEqual(['system', 'user']);
  });
});
