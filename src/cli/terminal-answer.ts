import { createInterface, type Interface } from 'node:readline/promises';
import type { HumanAnswer, PendingInput } from '../core/human';
import type { Output } from './output';

export type TerminalAnswer = Omit<HumanAnswer, 'requestId'>;

/**
 * A stdin that is not a terminal (a pipe, a script) is read by one interface for the whole
 * process, and lines that come before their question wait for it in `early`: a script may write
 * all its answers at once, and an interface per question would drop what the last one had read.
 */
let piped: { rl: Interface; early: string[] } | null = null;

function pipedInput(): { rl: Interface; early: string[] } {
  if (!piped) {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
    const early: string[] = [];
    rl.on('line', (line) => early.push(line)); // only lines no question is waiting for come here
    piped = { rl, early };
  }
  return piped;
}

/**
 * Asks the person at this terminal to answer a run's request. Resolves with their answer, or
 * null when `signal` aborts first (someone answered elsewhere, the run moved on) or they quit.
 * Questions go to stderr so that stdout stays the run's record.
 */
export async function askInTerminal(
  request: PendingInput,
  out: Output,
  signal: AbortSignal,
  onQuit: () => void,
): Promise<TerminalAnswer | null> {
  const terminal = Boolean(process.stdin.isTTY);
  const { rl, early } = terminal
    ? { rl: createInterface({ input: process.stdin, output: process.stderr, terminal }), early: [] }
    : pipedInput();
  if (terminal) {
    rl.on('SIGINT', () => {
      rl.close();
      onQuit();
    });
  }
  const ask = async (question: string) => {
    signal.throwIfAborted(); // a closed question takes no line written ahead
    const ahead = early.shift();
    if (ahead !== undefined) process.stderr.write(question);
    const line = ahead ?? (await rl.question(question, { signal }));
    // Nothing echoed the answer, so end the question's line: what follows starts a line of its own.
    if (!terminal) process.stderr.write('\n');
    return line.trim();
  };
  try {
    if (request.kind === 'input') {
      for (;;) {
        const line = await ask(out.bold('your answer (or /reject [reason]): '));
        if (line.startsWith('/reject')) return { action: 'reject', text: line.slice('/reject'.length).trim() || undefined };
        if (line) return { action: 'input', text: line };
      }
    }
    if (request.kind === 'budget') {
      for (;;) {
        const line = await ask(out.bold('raise the limit to (tokens, or $ and dollars: 5000, $0.50), or /stop: '));
        if (line === '/stop') return { action: 'stop' };
        const amount = Number(line.replace(/^\$/, ''));
        if (line && Number.isFinite(amount) && amount > 0) {
          return { action: 'raise', raise: line.startsWith('$') ? { maxCostUsd: amount } : { maxTotalTokens: Math.round(amount) } };
        }
      }
    }
    for (;;) {
      const choice = (await ask(out.bold('[a]pprove, [r]eject or request [c]hanges? '))).toLowerCase();
      if (choice === 'a' || choice === 'approve') {
        const comment = await ask('comment (optional): ');
        return { action: 'approve', ...(comment ? { text: comment } : {}) };
      }
      if (choice === 'r' || choice === 'reject') {
        const reason = await ask('reason (optional): ');
        return { action: 'reject', ...(reason ? { text: reason } : {}) };
      }
      if (choice === 'c' || choice === 'changes' || choice === 'request changes') {
        for (;;) {
          const comment = await ask('what should change? ');
          if (comment) return { action: 'request_changes', text: comment };
        }
      }
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError' || signal.aborted) return null;
    // stdin ended (a script with nothing more to say): leave the question to others
    if ((err as NodeJS.ErrnoException).code === 'ERR_USE_AFTER_CLOSE') return null;
    throw err;
  } finally {
    if (terminal) rl.close();
  }
}
