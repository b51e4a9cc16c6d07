import { LiveMcpCall } from '../../../src/mcp/live-mcp-call';
import { answerParkedCall, holdParkedCall, parkKeyFor, type ParkTimes } from '../../../src/mcp/parked-calls';
import { ConversationStore } from '../../../src/store/conversation-store';
import { RamBackend } from '../../../src/store/ram-backend';

const times: ParkTimes = { pollMs: 10, answerWaitMs: 60_000, takeWaitMs: 200 };
const form = { message: 'Your name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };

/**
 * The two sides of a parked call meet in the store: the worker holding the call, and the answer,
 * which may come to any worker. No MCP server here: the call is a promise this test settles, as
 * the server would (test/mcp/mcp-elicitation.test.ts has a real one).
 */
describe('a call parked on its question', () => {
  let store: ConversationStore;
  beforeEach(() => (store = new ConversationStore(new RamBackend())));

  const parked = () => {
    const call = new LiveMcpCall();
    let settle!: (text: string) => void;
    call.follow(new Promise((resolve) => (settle = (text) => resolve({ content: [{ type: 'text', text }] }))));
    return { call, settle };
  };

  it("the answer reaches the holder's question; the call's next outcome comes back to the answer", async () => {
    const { call, settle } = parked();
    const reply = call.ask(form);
    const asked = await call.next();
    if (asked.kind !== 'asked') throw new Error('expected a question');
    const key = parkKeyFor('run-1', 'run-1/turn-0/clerk/0/call_1');
    const held = holdParkedCall(call, asked.question, {
      runId: 'run-1',
      key,
      store,
      times,
      settle: async (end) => ({ outcome: { v: 1, content: end.kind === 'answered' ? 'done' : 'broke', isError: false } }),
    });
    void reply.then((result) => settle(`hello ${(result.content as { name: string }).name}`));

    // A first answer that does not fit is asked again (question 2); the second reaches the server.
    const again = await answerParkedCall({ runId: 'run-1', key, store }, 1, '{"name": 7}', { times });
    expect(again).toEqual({ outcome: expect.objectContaining({ waiting: expect.objectContaining({ questionId: 'asked-2' }) }) });
    expect(await answerParkedCall({ runId: 'run-1', key, store }, 2, 'Ada', { times })).toEqual({
      outcome: { v: 1, content: 'done', isError: false },
    });
    await held;
    // An answer retried (its activity's next attempt) finds the same outcome.
    expect(await answerParkedCall({ runId: 'run-1', key, store }, 2, 'Ada', { times })).toEqual({
      outcome: { v: 1, content: 'done', isError: false },
    });
  });

  it('an answer that no worker takes in time finds the call lost', async () => {
    const key = parkKeyFor('run-2', 'run-2/turn-0/clerk/0/call_1');
    const lost = await answerParkedCall({ runId: 'run-2', key, store }, 1, 'Ada', { times });
    expect(lost).toEqual({ lost: expect.stringContaining('no worker holds the call any more') });
  });
});
