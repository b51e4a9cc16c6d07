import type { ModelContextSpec } from '../spec/model-context';
import type { ConversationEntry } from './activity-contract';

/** About four characters a token: the estimate `token_limited` counts with (no tokenizer in workflow code). */
export const estimateTokens = (entry: ConversationEntry): number =>
  Math.ceil((entry.content.length + JSON.stringify(entry.toolCalls ?? entry.toolResults ?? '').length) / 4);

/**
 * The part of an agent's view its model call sees. Cuts never leave a tool result without its
 * call (the chat-message builder drops such halves), so a cut only costs the model context.
 */
export function applyModelContext(spec: ModelContextSpec | undefined, view: ConversationEntry[]): ConversationEntry[] {
  switch (spec?.type) {
    case undefined:
    case 'unbounded':
      return view;
    case 'buffered':
      return view.slice(-spec.size);
    case 'head_and_tail':
      return view.length <= spec.head + spec.tail ? view : [...view.slice(0, spec.head), ...view.slice(-spec.tail)];
    case 'token_limited': {
      let budget = spec.maxTokens;
      let from = view.length;
      while (from > 0 && budget - estimateTokens(view[from - 1]!) >= 0) {
        from -= 1;
        budget -= estimateTokens(view[from]!);
      }
      return view.slice(from);
    }
  }
}
