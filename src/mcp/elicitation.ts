import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';

/** A form a server asks its user to fill in mid-call (`elicitation/create`, form mode). */
export type ElicitationForm = Pick<ElicitRequestFormParams, 'message' | 'requestedSchema'>;

type Field = ElicitationForm['requestedSchema']['properties'][string];

/** Made on the first answer read, not when a worker loads this (most never see a form). */
let validator: AjvJsonSchemaValidator | undefined;

/**
 * The server's question as a person reads it: its message, then each field (its type, what it is
 * for, whether it must be given, the choices), then how to answer in text, which is all every
 * answering channel (CLI, A2A, console) carries.
 */
export function elicitationPrompt(form: ElicitationForm): string {
  const required = new Set(form.requestedSchema.required ?? []);
  const fields = Object.entries(form.requestedSchema.properties).map(
    ([name, field]) => `- ${name}${required.has(name) ? ' (required)' : ''}: ${describeField(field)}`,
  );
  const single = fields.length === 1 ? ', or its value alone' : '';
  return [
    form.message,
    ...fields,
    `Answer with a JSON object of these fields${single}; "decline" to refuse, "cancel" to leave it unanswered.`,
  ].join('\n');
}

function describeField(field: Field): string {
  const f = field as Record<string, unknown>;
  const choices = choicesOf(f) ?? choicesOf((f.items ?? {}) as Record<string, unknown>);
  const kind = f.type === 'array' ? 'a list' : String(f.type);
  return [
    kind + (f.format ? ` (${String(f.format)})` : ''),
    typeof f.description === 'string' ? f.description : typeof f.title === 'string' ? f.title : null,
    choices ? `one of ${choices}` : null,
    f.default !== undefined ? `default ${JSON.stringify(f.default)}` : null,
  ]
    .filter(Boolean)
    .join('; ');
}

/** A field's allowed values, with their titles where the schema gives them. */
function choicesOf(f: Record<string, unknown>): string | null {
  if (Array.isArray(f.enum)) return f.enum.map((v) => JSON.stringify(v)).join(', ');
  const options = (f.oneOf ?? f.anyOf) as { const?: unknown; title?: string }[] | undefined;
  if (Array.isArray(options)) return options.map((o) => `${JSON.stringify(o.const)}${o.title ? ` (${o.title})` : ''}`).join(', ');
  return null;
}

/**
 * A person's text answer to a form, as the server's result: "decline" and "cancel" are those
 * actions; a JSON object is the form's content; for a form of one field, text that is not JSON is
 * that field's value (a number or a yes/no where the field wants one). Content that does not fit
 * the schema is an error naming what is wrong, so the person can be asked again.
 */
export function readElicitationAnswer(text: string, form: ElicitationForm): { result: ElicitResult } | { error: string } {
  const said = text.trim();
  if (/^decline[.!]?$/i.test(said)) return { result: { action: 'decline' } };
  if (/^cancel[.!]?$/i.test(said)) return { result: { action: 'cancel' } };
  const content = contentOf(said, form);
  if ('error' in content) return content;
  validator ??= new AjvJsonSchemaValidator();
  const checked = validator.getValidator<Record<string, unknown>>(form.requestedSchema as never)(content.value);
  if (!checked.valid) return { error: `that answer does not fit the form: ${checked.errorMessage}` };
  return { result: { action: 'accept', content: content.value as ElicitResult['content'] } };
}

function contentOf(said: string, form: ElicitationForm): { value: Record<string, unknown> } | { error: string } {
  if (said.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(said);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { value: value as Record<string, unknown> };
    } catch (err) {
      return { error: `that answer is not JSON: ${(err as Error).message}` };
    }
  }
  const names = Object.keys(form.requestedSchema.properties);
  if (names.length !== 1) return { error: `that answer is not a JSON object, and the form has ${names.length} fields` };
  const name = names[0]!;
  return { value: { [name]: valueFor(said, form.requestedSchema.properties[name]!) } };
}

/** Text as the field's type wants it, where it reads as one; as it is otherwise (the schema check then says why). */
function valueFor(said: string, field: Field): unknown {
  const type = (field as { type?: string }).type;
  if ((type === 'number' || type === 'integer') && said !== '' && Number.isFinite(Number(said))) return Number(said);
  if (type === 'boolean') {
    if (/^(yes|y|true)$/i.test(said)) return true;
    if (/^(no|n|false)$/i.test(said)) return false;
  }
  return said;
}
