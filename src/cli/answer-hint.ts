import type { InputKind } from '../core/human';

/** The command that answers a request of this kind, for hints after "answer with". */
export function answerCommandFor(kind: string): string {
  const commands: Record<InputKind, string> = {
    input: 'input',
    approval: 'approve | reject | request-changes',
    budget: 'budget --raise-tokens N | --raise-usd X | --stop',
  };
  return commands[kind as InputKind] ?? 'input';
}
