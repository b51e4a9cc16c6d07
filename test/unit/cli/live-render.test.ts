import { Writable } from 'node:stream';
import { LiveRender } from '../../../src/cli/live-render';
import { Output } from '../../../src/cli/output';
import type { ChatMessage } from '../../../src/core/messages';

/** A terminal that keeps what was written to it. */
function terminal(): { out: Output; screen: () => string } {
  let written = '';
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => ((written += chunk.toString()), done()) });
  Object.assign(stream, { isTTY: true });
  return {
    out: new Output(false, stream as unknown as NodeJS.WriteStream, stream as unknown as NodeJS.WriteStream),
    screen: () => written,
  };
}

const source = { runId: 'r', turn: 2, agent: 'writer', call: 'r/turn-2/writer/0', attempt: 1 };
const message = (content: string) => ({ index: 3, source: 'writer', content, turn: 2, kind: 'text' }) as unknown as ChatMessage;

describe('text being written, on a terminal (live-render.ts)', () => {
  it('a recorded message whose preview ended whole is not printed again', () => {
    const { out } = terminal();
    const live = new LiveRender(out);
    live.item({ ...source, type: 'delta', text: 'all of ' });
    live.item({ ...source, type: 'delta', text: 'it' });
    live.item({ ...source, type: 'done' });
    live.interrupt();
    expect(live.previewed(message('all of it'))).toBe(true);
  });

  it('nor one that comes before its preview says it is done (they travel apart), once all its text was shown', () => {
    const { out, screen } = terminal();
    const live = new LiveRender(out);
    live.item({ ...source, type: 'delta', text: 'all of it' });
    live.interrupt(); // the message event arrives
    expect(live.previewed(message('all of it'))).toBe(true);
    live.item({ ...source, type: 'done' }); // late: changes nothing on screen
    expect(screen().match(/all of it/g)).toHaveLength(1);
  });

  it('pieces of a preview that come after their recorded message are not shown: it was printed whole', () => {
    const { out, screen } = terminal();
    const live = new LiveRender(out);
    live.item({ ...source, type: 'delta', text: 'all of' });
    live.interrupt(); // the message event overtakes the rest of the preview
    expect(live.previewed(message('all of it'))).toBe(false); // so it is printed whole
    live.item({ ...source, type: 'delta', text: ' it' });
    live.item({ ...source, type: 'done' });
    expect(screen()).not.toContain(' it');
    // The next turn's preview shows as ever.
    live.item({ ...source, turn: 3, call: 'r/turn-3/writer/0', type: 'delta', text: 'more' });
    expect(screen()).toContain('more');
  });

  it('a preview cut in two by an event goes on from where it was: the message it became is not printed again', () => {
    const { out } = terminal();
    const live = new LiveRender(out);
    live.item({ ...source, type: 'delta', text: 'all of' });
    live.interrupt(); // another event, printed mid-reply
    live.item({ ...source, type: 'delta', text: ' it' });
    live.item({ ...source, type: 'done' });
    live.interrupt();
    expect(live.previewed(message('all of it'))).toBe(true);
  });

  it('a preview cut short is no reason to leave the message out', () => {
    const { out } = terminal();
    const live = new LiveRender(out);
    live.item({ ...source, type: 'delta', text: 'all of' });
    live.interrupt();
    expect(live.previewed(message('all of it'))).toBe(false);
  });
});
