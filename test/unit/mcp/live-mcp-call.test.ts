import { CallsInFlight, LiveMcpCall } from '../../../src/mcp/live-mcp-call';

const form = { message: 'Name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };

describe('MCP calls in flight, and the questions their servers ask', () => {
  it('gives each question to the oldest call not already waiting on an answer', async () => {
    const inFlight = new CallsInFlight();
    const older = new LiveMcpCall();
    const newer = new LiveMcpCall();
    inFlight.add(older);
    inFlight.add(newer);
    expect(inFlight.asker()).toBe(older);
    void older.ask(form);
    // The older call's server waits on its answer, so a question asked now is the newer call's.
    expect(inFlight.asker()).toBe(newer);
    const asked = await older.next();
    if (asked.kind !== 'asked') throw new Error('expected a question');
    asked.question.reply({ action: 'decline' });
    expect(inFlight.asker()).toBe(older);
    inFlight.remove(older);
    expect(inFlight.asker()).toBe(newer);
  });

  it('takes one reply per question: a second (a holder cancelling after answering) changes nothing', async () => {
    const call = new LiveMcpCall();
    const answer = call.ask(form);
    const asked = await call.next();
    if (asked.kind !== 'asked') throw new Error('expected a question');
    asked.question.reply({ action: 'accept', content: { name: 'Ada' } });
    asked.question.reply({ action: 'cancel' });
    expect(await answer).toEqual({ action: 'accept', content: { name: 'Ada' } });
    expect(call.canAsk).toBe(true);
  });

  it('gives its end before a question the server gave up on', async () => {
    const call = new LiveMcpCall();
    void call.ask(form);
    call.follow(Promise.reject(new Error('gone')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await call.next()).toEqual({ kind: 'broke', error: new Error('gone') });
    expect(call.canAsk).toBe(false);
  });
});
