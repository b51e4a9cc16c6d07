import { z } from 'zod';

export { cardEndpointUrls } from './plain/card-endpoints';

/**
 * The shape of an A2A agent card (v1.0 or v0.3), as Zod checks it: shared by the worker that
 * fetches cards and the team-file check of a card written inline. Only Zod here, so the team
 * spec (which workflow code imports) can use it.
 */

const text = z.string();
const SkillSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: text,
    tags: z.array(z.string()).default([]),
    examples: z.array(z.string()).default([]),
  })
  .loose();
const common = {
  name: z.string().min(1),
  description: text,
  version: text,
  capabilities: z.object({ streaming: z.boolean().optional() }).loose().optional(),
  skills: z.array(SkillSchema),
};
export const V1CardSchema = z
  .object({
    ...common,
    supportedInterfaces: z
      .array(z.object({ url: z.url(), protocolBinding: z.string().min(1), protocolVersion: z.string().min(1) }).loose())
      .min(1, 'a card needs at least one interface'),
  })
  .loose();
export const V03CardSchema = z
  .object({
    ...common,
    url: z.url(),
    protocolVersion: z.string().min(1),
    preferredTransport: z.string().optional(),
    additionalInterfaces: z.array(z.object({ url: z.url(), transport: z.string().min(1) }).loose()).optional(),
  })
  .loose();

export function cardIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.reduce<string>(
    (at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)),
    '',
  );
  return `${path || '(the card)'}: ${issue.message}`;
}

/**
 * A v0.3 card names its endpoint in `url` with a `protocolVersion`; compat servers add v1.0's
 * supportedInterfaces to it, so those alone do not make a card v1.0.
 */
export function isV03Card(raw: Record<string, unknown>): boolean {
  return typeof raw.url === 'string' && typeof raw.protocolVersion === 'string' && raw.protocolVersion.startsWith('0.');
}

/** What is wrong with a card's JSON (the field and the rule), or null when it is a card. */
export function cardProblem(raw: Record<string, unknown>): string | null {
  const v03 = isV03Card(raw);
  const schema = 'supportedInterfaces' in raw && !v03 ? V1CardSchema : v03 || 'url' in raw ? V03CardSchema : null;
  if (!schema) return 'neither supportedInterfaces (A2A v1.0) nor url (v0.3); is this an agent card?';
  const parsed = schema.safeParse(raw);
  return parsed.success ? null : cardIssue(parsed.error);
}
