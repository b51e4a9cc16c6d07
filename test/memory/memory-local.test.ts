import { runLocal } from '../../src/local/run-local';
import { InProcessMemory } from '../../src/memory/in-process-memory';
import { MemoryStore } from '../../src/memory/memory-store';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { FACT, MEMORY_SCRIPT, memoryTeam, systemMessagesOf } from './memory-fixtures';

/** runLocal keeps memory as a worker does: remember in one run, shown in the next of the same user. */
describe('memory in runLocal', () => {
  let model: ScriptedModelServer;
  beforeAll(async () => {
    model = await startScriptedModelServer({ script: MEMORY_SCRIPT });
  });
  afterAll(() => model.close());

  it('remembers and recalls across runs sharing a memory store; refuses a user scope without a user', async () => {
    const team = memoryTeam('local-memo', 'keeper', { scope: 'user' });
    const memory = new MemoryStore(new InProcessMemory());
    const options = { model: { baseUrl: model.baseUrl }, memory, user: 'ana' };
    await expect(runLocal(team, 'Note it.', { model: { baseUrl: model.baseUrl }, memory })).rejects.toThrow('pass user to runLocal');
    const first = await runLocal(team, 'Note the colour.', options);
    expect(first.status).toBe('completed');
    const second = await runLocal(team, 'Which colour for the invoice header?', options);
    expect(systemMessagesOf(model, second.runId, 'keeper')[1]).toBe(`Relevant memory:\n- ${FACT}`);
    const other = await runLocal(team, 'Which colour for the invoice header?', { ...options, user: 'bo' });
    expect(systemMessagesOf(model, other.runId, 'keeper')).toHaveLength(1);
  });

  it('recall answers the entries about its query, and says so when there are none', async () => {
    const memory = new MemoryStore(new InProcessMemory());
    const options = { model: { baseUrl: model.baseUrl }, memory };
    const team = (agent: 'keeper' | 'seeker') => memoryTeam('local-recall', agent, { scope: 'team' });
    const before = await runLocal(team('seeker'), 'What do we know?', options);
    expect(before.messages.find((m) => m.kind === 'tool_result')?.toolResults?.[0]?.content).toBe('Nothing is kept about that.');
    await runLocal(team('keeper'), 'Note the colour.', options);
    const after = await runLocal(team('seeker'), 'What do we know?', options);
    expect(after.messages.find((m) => m.kind === 'tool_result')?.toolResults?.[0]).toMatchObject({ content: `- ${FACT}`, isError: false });
  });
});
