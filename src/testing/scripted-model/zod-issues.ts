import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** `agents.writer.replies[2]`: how a user would point at the field in their file. */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Turns Zod issues into `path: message` lines.
 *
 * A failed union reports every branch; the user only cares about the branch their data was
 * meant for. We take the branch that got furthest into the data (deepest path, or a check other
 * than a type mismatch); when no branch got past the type check we keep the union's own message,
 * which the schema words as the fix ("expected a string or {content} object").
 */
export function formatZodIssues(issues: readonly Issue[], base: Path = []): string[] {
  return issues.flatMap((issue) => formatIssue(issue, base));
}

function formatIssue(issue: Issue, base: Path): string[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = bestBranch(issue.errors);
    if (best) return formatZodIssues(best, path);
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${formatPath([...path, key])}: unknown field: remove it or check its spelling`);
  }
  const message = issue.message.replace(/^Invalid input: /, '');
  // Zod does not keep the input on issues, so a missing field shows only in the wording.
  const missing = issue.code === 'invalid_type' && /, received undefined$/.test(message);
  return [`${formatPath(path)}: ${missing ? `missing (${message.replace(/, received undefined$/, '')})` : message}`];
}

function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestScore = 0;
  for (const branch of branches) {
    const score = Math.max(0, ...branch.map(progress));
    if (score > bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

/** How far a branch got: twice the path depth, plus one when the type itself matched. */
function progress(issue: Issue): number {
  const typeMatched = issue.code !== 'invalid_type' && issue.code !== 'invalid_union' ? 1 : 0;
  const nested = issue.code === 'invalid_union' ? Math.max(0, ...issue.errors.flat().map(progress)) : 0;
  return Math.max(issue.path.length * 2 + typeMatched, issue.path.length * 2 + nested);
}
