// What an inline agent card names. Like all of spec/plain/, no Zod here: core and the workflows load these at run time.
/** The URLs a card's JSON says to call (its interfaces), for a default allowlist. */
export function cardEndpointUrls(raw: Record<string, unknown>): string[] {
  const listed = Array.isArray(raw.supportedInterfaces) ? (raw.supportedInterfaces as { url?: unknown }[]).map((i) => i.url) : [];
  const extra = Array.isArray(raw.additionalInterfaces) ? (raw.additionalInterfaces as { url?: unknown }[]).map((i) => i.url) : [];
  return [raw.url, ...listed, ...extra].filter((u): u is string => typeof u === 'string');
}
