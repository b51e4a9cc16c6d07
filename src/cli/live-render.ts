import { liveKey, type DraftItem } from '../core/live';
import type { ChatMessage } from '../core/messages';
import type { Output } from './output';
import { printableLines } from '../core/display-text';

/**
 * Text being written, on a terminal: the speaker's name, then the words as they arrive, indented
 * as a recorded message is. When the message is recorded with the text shown, it is not printed a
 * second time; when the preview was cut short or replaced (a retried call), the recorded message
 * is printed whole. Tool-call arguments are not previewed: the recorded call line says them.
 * Under --json each item is a line of its own (`live_delta`, `live_reset`, `live_done`). Output
 * that is not a terminal (a file, a pipe) gets the recorded messages only, as before.
 */
export class LiveRender {
  /** The draft on screen now, and what of it has been shown. */
  private open: { key: string; attempt: number; agent: string; turn: number; text: string; atLineStart: boolean } | null = null;
  /** Previews that ended whole, by turn and speaker, until their message is recorded. */
  private readonly shown = new Map<string, string>();
  /**
   * Previews cut off by an event, by turn and speaker: which call and attempt, and the text shown
   * so far. The preview's next pieces go on from it (under a new header), and the recorded
   * message, which can come before the preview's end does (they travel apart), finds it here.
   */
  private readonly cut = new Map<string, { key: string; attempt: number; text: string }>();
  /**
   * Turns and speakers whose reply is recorded (a message without tool calls: the speaker's last
   * word in its turn). Pieces of its preview that come after it, having travelled apart, would
   * print the text a second time: they are not shown.
   */
  private readonly finished = new Set<string>();

  constructor(private readonly out: Output) {}

  item(item: DraftItem): void {
    this.out.record({ ...item, type: `live_${item.type}` });
    if (this.out.json || !this.out.terminal || (item.type === 'delta' && item.tool)) return;
    if (this.finished.has(`${item.turn}/${item.agent}`)) return;
    const key = liveKey(item);
    const speaking = `${item.turn}/${item.agent}`;
    if (item.type === 'reset') {
      // What an earlier attempt wrote is void: a draft of it cut off by an event is not gone on from.
      if (this.cut.get(speaking)?.key === key) this.cut.delete(speaking);
      if (this.open?.key === key) {
        this.closeLine();
        this.out.line(this.out.dim(`    (${item.reason}: written again)`));
        this.open = null;
      }
      return;
    }
    if (item.type === 'done') {
      if (this.open?.key !== key) return;
      this.closeLine();
      this.shown.set(`${item.turn}/${item.agent}`, this.open.text);
      this.open = null;
      return;
    }
    if (this.open?.key !== key) {
      this.interrupt();
      const who = item.agent === 'selector' ? 'selector' : item.agent;
      this.out.line(this.out.bold(this.out.cyan(`[${who}]`)));
      const resumed = this.cut.get(speaking);
      const goesOn = resumed?.key === key && resumed.attempt === item.attempt;
      if (goesOn) this.cut.delete(speaking);
      this.open = { key, attempt: item.attempt, agent: item.agent, turn: item.turn, text: goesOn ? resumed.text : '', atLineStart: true };
    }
    const open = this.open;
    let chunk = '';
    for (const char of item.text) {
      if (open.atLineStart && char !== '\n') chunk += '    ';
      chunk += char;
      open.atLineStart = char === '\n';
    }
    this.out.text(printableLines(chunk));
    open.text += item.text;
  }

  /** Before anything else is printed: a preview mid-line gets its line ended. */
  interrupt(): void {
    if (this.open) {
      this.closeLine();
      const { key, attempt, text } = this.open;
      this.cut.set(`${this.open.turn}/${this.open.agent}`, { key, attempt, text });
    }
    this.open = null;
  }

  /** Whether this recorded message was already shown whole by its preview (so it need not be printed again). */
  previewed(message: ChatMessage): boolean {
    if (message.turn === null) return false;
    const key = `${message.turn}/${message.source}`;
    if (!message.toolCalls) {
      this.finished.add(key);
      // A draft of it still open (its end not come yet) is over.
      if (this.open && `${this.open.turn}/${this.open.agent}` === key) this.interrupt();
    }
    const text = this.shown.get(key) ?? this.cut.get(key)?.text;
    this.shown.delete(key);
    this.cut.delete(key);
    return text !== undefined && text.trim() === message.content.trim() && !message.toolCalls;
  }

  private closeLine(): void {
    if (this.open && !this.open.atLineStart) this.out.text('\n');
    if (this.open) this.open.atLineStart = true;
  }
}
