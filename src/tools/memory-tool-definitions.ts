import type { FunctionDefinition } from './registry';

/** The longest entry `remember` takes: memory goes into every later call, so it stays short. */
export const MAX_MEMORY_ENTRY_CHARS = 4_000;

/**
 * The built-in memory tools as the model sees them. They run as activities like any tool
 * (activities/tools.ts), with the scope the workflow worked out, never one the model names.
 */
export const MEMORY_TOOL_DEFINITIONS: Record<'remember' | 'recall', FunctionDefinition> = {
  remember: {
    type: 'function',
    function: {
      name: 'remember',
      description:
        'Keep a fact for later runs: a preference, a decision, something learned. ' +
        'It is shown to you (and the agents sharing this memory) when it is relevant.',
      parameters: {
        type: 'object',
        properties: {
          text: {
            type: 'string',
            description: `The fact, in one or two self-contained sentences (at most ${MAX_MEMORY_ENTRY_CHARS} characters).`,
          },
        },
        required: ['text'],
      },
    },
  },
  recall: {
    type: 'function',
    function: {
      name: 'recall',
      description: 'Search the facts kept with `remember` for the ones about a subject.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What to look for, in a few words.' },
          top: { type: 'integer', minimum: 1, maximum: 20, description: 'How many entries at most (default 5).' },
        },
        required: ['query'],
      },
    },
  },
};
