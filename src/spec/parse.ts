import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SpecError, problemsFromZod } from './errors';
import { outputSchemaProblems } from './output-schemas';
import { TeamSchema, type TeamSpec } from './team';

/** Validates team data (from a file, an API call or the builder); `source` names it in errors. */
export function parseTeamSpec(data: unknown, source = 'team'): TeamSpec {
  const team = parseWith(TeamSchema, data, source);
  const problems = outputSchemaProblems(team);
  if (problems.length) throw new SpecError(source, problems);
  return team;
}

/** Validates any spec-shaped data with a schema, throwing a SpecError that names `source`. */
export function parseWith<T>(schema: z.ZodType<T>, data: unknown, source: string): T {
  // reportInput keeps each issue's input, so a wrong type is told apart from a missing field.
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw new SpecError(source, problemsFromZod(result.error));
  return result.data;
}

/**
 * Parses the text of a team file. JSON when the source ends in .json, YAML otherwise (YAML is a
 * superset of JSON, but JSON's own parser gives clearer errors for JSON files).
 */
export function parseTeamText(text: string, source: string): TeamSpec {
  return parseTeamSpec(parseDataText(text, source), source);
}

/** YAML or JSON text to data, with syntax errors that give the line. */
export function parseDataText(text: string, source: string): unknown {
  const empty = new SpecError(source, [{ path: '', message: 'the file is empty; see examples/teams for a team file' }]);
  if (source.toLowerCase().endsWith('.json')) {
    if (text.trim() === '') throw empty;
    try {
      return JSON.parse(text);
    } catch (err) {
      // V8 quotes the text around the fault, which may be a pasted key: keep only its reason.
      const reason = (err as Error).message.replace(/, (\.\.\.)?"[\s\S]*$/, '');
      throw new SpecError(source, [{ path: '', message: `not valid JSON: ${reason}` }]);
    }
  }
  // linePos is only filled in with prettyErrors, whose messages quote the source; count lines ourselves.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const [first] = doc.errors;
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new SpecError(source, [{ path: '', message: `not valid YAML: line ${line}, column ${col}: ${first.message.split('\n')[0]}` }]);
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) throw empty;
  return data;
}
