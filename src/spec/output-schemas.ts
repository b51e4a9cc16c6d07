import { Ajv, type ValidateFunction } from 'ajv';
import { isLlm } from './agent';
import type { SpecProblem } from './errors';
import type { TeamSpec } from './team';

/**
 * JSON Schemas of agents' structured outputs, compiled once per schema. Kept apart from the
 * spec's Zod schemas because those are bundled into workflow code, and Ajv compiles to code.
 * Formats (`"format": "email"`) are not checked; unknown keywords are let through.
 */
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
const compiled = new Map<string, ValidateFunction>();

export function outputValidator(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** Each agent's output schema that is not a JSON Schema Ajv can compile, as a problem naming it. */
export function outputSchemaProblems(team: TeamSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  team.agents.forEach((agent, i) => {
    if (!isLlm(agent) || agent.output?.type !== 'json') return;
    try {
      outputValidator(agent.output.schema);
    } catch (err) {
      problems.push({ path: `agents[${i}].output.schema`, message: `not a JSON Schema: ${(err as Error).message}` });
    }
  });
  return problems;
}

/** The first way a value fails the schema, as "/path: message", or null when it matches. */
export function outputMismatch(schema: Record<string, unknown>, value: unknown): string | null {
  const validate = outputValidator(schema);
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  return error ? `${error.instancePath || '(root)'}: ${error.message ?? 'does not match'}` : 'does not match';
}
