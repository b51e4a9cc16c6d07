import { createInterface } from 'node:readline/promises';
import type { HumanAnswer, PendingInput } from '../core/human';
import type { Output } from './output';

export type TerminalAnswer = Omit<HumanAnswer, 'requestId'>;

/**
 * Asks the person at this terminal to answer a run's request. Resolves with their answer, or
 * null when `signal` aborts first (someone answered elsewhere, the run moved on) or they quit.
 * Questions go to stderr so that stdout stays the run's record.
 */
export async function askInTerminal(request: PendingInput, out: Output, signal: AbortSignal, onQuit: () => void): Promise<TerminalAnswer | null> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
  rl.on('SIGINT', () => {
    rl.close();
    onQuit();
  });
  const ask = async (question: string) => (await rl.question(question, { signal })).trim();
  try {
    if (request.kind === 'input') {
      for (;;) {
        const line = await ask(out.bold('your answer (or /reject [reason]): '));
        if (line.startsWith('/reject')) return { action: 'reject', text: line.slice('/reject'.length).trim() || undefined };
        if (line) return { action: 'input', text: line };
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
    rl.close();
  }
}
