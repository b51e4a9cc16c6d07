import type { ChatMessage } from '../../src/core/messages';
import { ConversationStore } from '../../src/store/conversation-store';
import { RamBackend } from '../../src/store/ram-backend';
import { wholeEvents, wholeSnapshot, wholeTranscript } from '../../src/client/conversation-reader';

/**
 * What came with a message (files, data) is only ever in the store: a reader gets it even for a
 * message the run still holds whole, as it does for the newest one it just recorded.
 */
describe('reading what came with a message the run holds whole', () => {
  const store = new ConversationStore(new RamBackend());
  const runId = 'attach-run';
  let held: ChatMessage;

  beforeAll(async () => {
    const data = { key: 'value', count: 42 };
    const ref = await store.putBody(runId, { content: JSON.stringify(data), attachments: [{ kind: 'data', data }] });
    held = { index: 1, source: 'extractor', content: JSON.stringify(data), kind: 'text', turn: 0, at: 1, ref };
  });

  const expected = [{ kind: 'data', data: { key: 'value', count: 42 } }];

  it('in a transcript page, a snapshot and an event page alike', async () => {
    const page = await wholeTranscript(store, runId, { messages: [held], total: 2, firstRetained: 1 }, 1, 1);
    expect(page.messages[0]!.attachments).toEqual(expected);
    const snapshot = await wholeSnapshot(store, { runId, lastMessage: held } as never);
    expect(snapshot.lastMessage!.attachments).toEqual(expected);
    const events = await wholeEvents(store, runId, { events: [{ seq: 1, type: 'message', at: 1, message: held }], next: 1 } as never);
    expect((events.events[0] as { message: ChatMessage }).message.attachments).toEqual(expected);
  });

  it('leaves a message with nothing stored as it is', async () => {
    const own: ChatMessage = { index: 2, source: 'user', content: 'written by the run', kind: 'text', turn: null, at: 2 };
    const page = await wholeTranscript(store, runId, { messages: [own], total: 3, firstRetained: 2 }, 2, 1);
    expect(page.messages).toEqual([own]);
  });
});
