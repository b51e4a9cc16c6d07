import type { z } from 'zod';

/** One thing wrong in a team file, at a field path such as `agents[2].name`. */
export interface SpecProblem {
  path: string;
  message: string;
}

/** A team file (or builder input) that is not a valid team. The message names the source and each field. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly source: string,
    readonly problems: SpecProblem[],
  ) {
    super(problems.map((p) => `${source}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
  }
}

/** `['agents', 2, 'name']` -> `agents[2].name` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

// Every field name a team file may use, for "did you mean" hints on a misspelt one.
const KNOWN_FIELDS = [
  'version',
  'name',
  'description',
  'tags',
  'examples',
  'pattern',
  'model',
  'agents',
  'selector',
  'termination',
  'maxTurns',
  'kind',
  'systemMessage',
  'stopSignal',
  'retry',
  'timeouts',
  'baseUrl',
  'apiKeyEnv',
  'temperature',
  'maxTokens',
  'files',
  'output',
  'schema',
  'mediaType',
  'prompt',
  'allowRepeatedSpeaker',
  'maxAttempts',
  'transitions',
  'initialInterval',
  'backoffCoefficient',
  'maximumInterval',
  'maximumAttempts',
  'nonRetryableErrorTypes',
  'startToClose',
  'scheduleToClose',
  'heartbeat',
  'type',
  'text',
  'sources',
  'max',
  'maxTotalTokens',
  'maxPromptTokens',
  'maxCompletionTokens',
  'after',
  'conditions',
  'approval',
  'handoff',
  'notify',
  'beforeCompletion',
  'when',
  'timeout',
  'action',
  'message',
  'phrase',
  'to',
  'webhook',
  'events',
  'tokenEnv',
  'a2a',
  'reply',
  'budget',
  'maxTotalTokens',
  'maxCostUsd',
  'onExceed',
  'prices',
];

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function unknownFieldMessage(key: string, path: readonly PropertyKey[]): string {
  if (/^(api_?key|key|token|secret|password)$/i.test(key)) {
    // The webhook's token has its own field; everywhere else a key belongs to a model.
    const field = path[0] === 'notify' ? 'tokenEnv' : 'apiKeyEnv';
    return `"${key}" is not allowed: a secret never goes in a team file. Put it in an environment variable and name that variable in "${field}"`;
  }
  const distances = KNOWN_FIELDS.map((f) => ({ f, d: editDistance(key.toLowerCase(), f.toLowerCase()) }));
  // d = 0: a field of another block ("retry" at the top), no hint to give, not even a near one ("reply");
  // a name of 3 letters or fewer is close at one edit only
  const close = distances.some(({ d }) => d === 0)
    ? undefined
    : distances.filter(({ f, d }) => d > 0 && d <= (f.length <= 3 ? 1 : 2)).sort((x, y) => x.d - y.d)[0];
  return `unknown field "${key}"${close ? ` (did you mean "${close.f}"?)` : ''}`;
}

/** Zod's issues as problems a person can act on. */
export function problemsFromZod(error: z.ZodError): SpecProblem[] {
  return error.issues.flatMap((issue): SpecProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath(issue.path), message: unknownFieldMessage(key, issue.path) }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ path: formatPath(issue.path), message: `missing; expected ${issue.expected}` }];
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}
