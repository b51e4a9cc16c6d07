import type { ChatMessage } from '../../src/core/messages';
import { anyOf, functionCall, handoffTo, maxMessages, team, textMention } from '../../src/spec';
import { nextRequest } from '../helpers/waiting';
import { toolWorkerForFile } from './tool-fixtures';

const transfer = (target: string, content?: string) => ({
  ...(content ? { content } : {}),
  toolCalls: [{ name: `transfer_to_${target}`, arguments: {} }],
});

/**
 * Replies are picked by how many assistant messages the agent has in its view. A handoff turn
 * leaves two there (the tool call and the handoff message), so the planner's list skips one
 * index after each handoff.
 */
const SCRIPT = {
  agents: {
    planner: [transfer('researcher'), 'unused', transfer('user', 'Which tone do you want?'), 'unused', transfer('writer')],
    researcher: [transfer('planner', 'Facts: A and B.')],
    writer: ['A friendly note. TERMINATE'],
    lookup: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }],
  },
};

function swarm(name: string, termination = textMention('TERMINATE')) {
  return team(name)
    .pattern('swarm')
    .model({ model: 'scripted' })
    .agent('planner', { description: 'Plans and delegates.', handoffs: ['researcher', 'writer', 'user'] })
    .agent('researcher', { description: 'Finds facts.', handoffs: ['planner'] })
    .agent('writer', { description: 'Writes the text.', handoffs: ['planner'] })
    .terminateWhen(anyOf(termination, maxMessages(30)))
    .build();
}

const transcript = (messages: ChatMessage[]) => messages.map((m) => `${m.source}:${m.kind}${m.handoff ? `->${m.handoff.target}` : ''}`);

describe('swarm teams', () => {
  const file = toolWorkerForFile(SCRIPT);

  it('passes the word by handoff tools, asks the user on transfer_to_user and goes on with the agent that asked', async () => {
    const runId = await file.env.client.start(swarm('swarm-three'), 'Write a note.');
    const question = await nextRequest(file.env.client, runId);
    expect(question).toMatchObject({ kind: 'input', reason: 'handoff', from: 'planner', to: 'user', prompt: 'Which tone do you want?' });
    await file.env.client.answer(runId, { action: 'input', text: 'friendly' });
    const { snapshot, messages } = await file.env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    expect(snapshot.stopReason).toBe('"TERMINATE" mentioned by writer');
    expect(transcript(messages)).toEqual([
      'user:text',
      'planner:tool_call',
      'planner:tool_result',
      'planner:text->researcher',
      'researcher:tool_call',
      'researcher:tool_result',
      'researcher:text->planner',
      'planner:tool_call',
      'planner:tool_result',
      'planner:text->user',
      'user:text',
      'planner:tool_call',
      'planner:tool_result',
      'planner:text->writer',
      'writer:text',
    ]);
    expect(messages[3]!.content).toBe('Transferred to researcher, adopting the role of researcher immediately.');
    expect(messages[6]!.content).toBe('Facts: A and B.');
    expect(messages[10]!.content).toBe('friendly');

    const { events } = await file.env.client.events(runId);
    const turns = events.flatMap((e) => (e.type === 'turn_started' ? [`${e.speaker}/${e.choice.by}`] : []));
    expect(turns).toEqual(['planner/swarm', 'researcher/swarm', 'planner/swarm', 'planner/swarm', 'writer/swarm']);

    // Each agent was offered exactly its own handoffs, described from the target agents.
    const offered = file.model.requests.find((r) => r.agent === 'planner' && r.runId === runId)!.tools as {
      function: { name: string; description: string };
    }[];
    expect(offered.map((t) => t.function.name)).toEqual(['transfer_to_researcher', 'transfer_to_writer', 'transfer_to_user']);
    expect(offered[0]!.function.description).toBe('Hand the conversation to researcher: Finds facts.');
    // The writer sees the conversation, not the other agents' tool calls.
    const writerSaw = file.model.requests.find((r) => r.agent === 'writer' && r.runId === runId)!.messages as { role: string }[];
    expect(writerSaw.map((m) => m.role)).toEqual(['system', 'user', 'user', 'user', 'user', 'user', 'user']);
  });

  it('stops on a handoff to a given target (the handoff termination), before the target speaks', async () => {
    const runId = await file.env.client.start(swarm('swarm-handoff-stop', handoffTo('researcher')), 'Write a note.');
    const { snapshot, messages } = await file.env.client.result(runId);
    expect(snapshot.stopReason).toBe('planner handed off to researcher');
    expect(snapshot.stoppedBy).toEqual(['handoff']);
    expect(transcript(messages).at(-1)).toBe('planner:text->researcher');
  });

  it('stops once a given tool has been called (the function_call termination)', async () => {
    const spec = team('tool-stop')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('lookup', { description: 'Looks things up.', tools: ['get_weather'] })
      .terminateWhen(anyOf(functionCall('get_weather'), maxMessages(10)))
      .build();
    const runId = await file.env.client.start(spec, 'Weather?');
    const { snapshot } = await file.env.client.result(runId);
    expect(snapshot.stoppedBy).toEqual(['function_call']);
    expect(snapshot.stopReason).toBe('lookup called get_weather');
    expect(snapshot.turns).toBe(1);
  });
});
