import { displayUrl } from '../http/display-url';
import { cardIssue, isV03Card, V03CardSchema, V1CardSchema } from '../spec/card-schema';
import type { HostAllowlist } from '../http/host-allowlist';

/**
 * Discovery of remote A2A agents: fetch an agent card, check every URL it leads to against the
 * allowlist, validate it with Zod (v1.0 or v0.3), and keep it with its ETag. The result is the
 * little a team needs: where to call, over what, and which skills there are.
 */

export interface RemoteInterface {
  url: string;
  /** JSONRPC, HTTP+JSON, GRPC, ... */
  binding: string;
  protocolVersion: string;
}

export interface RemoteSkill {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples: string[];
}

export interface RemoteCard {
  /** Where the card was read (after redirects). */
  cardUrl: string;
  name: string;
  description: string;
  version: string;
  /** The protocol version the card is written in. */
  cardVersion: '1.0' | '0.3';
  interfaces: RemoteInterface[];
  streaming: boolean;
  skills: RemoteSkill[];
  /** The card as received, for the SDK's client. */
  raw: Record<string, unknown>;
}

/** Why a card could not be had. `retryable` says whether asking again later may help. */
export class RemoteCardError extends Error {
  override name = 'RemoteCardError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Reads a card's JSON: v1.0 when it lists supportedInterfaces, v0.3 when it has a url. */
export function parseAgentCard(json: unknown, cardUrl: string, where = `agent card at ${displayUrl(cardUrl)}`): RemoteCard {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new RemoteCardError(`${where}: expected a JSON object`, false);
  const raw = json as Record<string, unknown>;
  const v03 = isV03Card(raw);
  if ('supportedInterfaces' in raw && !v03) {
    const parsed = V1CardSchema.safeParse(raw);
    if (!parsed.success) throw new RemoteCardError(`${where}: ${cardIssue(parsed.error)}`, false);
    const card = parsed.data;
    return {
      cardUrl,
      name: card.name,
      description: card.description,
      version: card.version,
      cardVersion: '1.0',
      interfaces: card.supportedInterfaces.map((i) => ({ url: i.url, binding: i.protocolBinding, protocolVersion: i.protocolVersion })),
      streaming: card.capabilities?.streaming ?? false,
      skills: card.skills,
      raw,
    };
  }
  if (v03 || 'url' in raw) {
    const parsed = V03CardSchema.safeParse(raw);
    if (!parsed.success) throw new RemoteCardError(`${where}: ${cardIssue(parsed.error)}`, false);
    const card = parsed.data;
    const preferred = { url: card.url, binding: card.preferredTransport ?? 'JSONRPC', protocolVersion: card.protocolVersion };
    const others = (card.additionalInterfaces ?? []).map((i) => ({
      url: i.url,
      binding: i.transport,
      protocolVersion: card.protocolVersion,
    }));
    return {
      cardUrl,
      name: card.name,
      description: card.description,
      version: card.version,
      cardVersion: '0.3',
      interfaces: [preferred, ...others.filter((o) => o.url !== preferred.url || o.binding !== preferred.binding)],
      streaming: card.capabilities?.streaming ?? false,
      skills: card.skills,
      raw,
    };
  }
  throw new RemoteCardError(`${where}: neither supportedInterfaces (A2A v1.0) nor url (v0.3); is this an agent card?`, false);
}

interface Cached {
  etag: string;
  card: RemoteCard;
}

/** Cards by URL with their ETag: a second read that the server answers 304 costs no parsing. */
export class AgentCardCache {
  private readonly cards = new Map<string, Cached>();
  get(url: string): Cached | undefined {
    return this.cards.get(url);
  }
  set(url: string, entry: Cached): void {
    this.cards.set(url, entry);
  }
}

export interface FetchCardOptions {
  allow: HostAllowlist;
  cache?: AgentCardCache;
  /** Send `A2A-Version: 1.0` (default), or nothing, as a v0.3 client would. */
  protocolVersion?: '1.0' | '0.3';
  signal?: AbortSignal;
  maxRedirects?: number;
}

function checkAllowed(url: URL, allow: HostAllowlist, what: string): void {
  if (!allow.allows(url)) {
    throw new RemoteCardError(
      `${what} ${displayUrl(url.toString())}: host outside the allowlist (${allow.entries.join(', ') || 'empty'})`,
      false,
    );
  }
}

/** Fetches, checks and parses a card; redirects are followed by hand so each hop is checked. */
export async function fetchAgentCard(cardUrl: string, options: FetchCardOptions): Promise<RemoteCard> {
  let url: URL;
  try {
    url = new URL(cardUrl);
  } catch {
    throw new RemoteCardError(`agent card URL "${cardUrl}" is not a URL`, false);
  }
  const cached = options.cache?.get(cardUrl);
  for (let hop = 0; ; hop += 1) {
    checkAllowed(url, options.allow, hop === 0 ? 'agent card' : 'agent card redirect to');
    const headers: Record<string, string> = { accept: 'application/json' };
    if ((options.protocolVersion ?? '1.0') === '1.0') headers['A2A-Version'] = '1.0';
    if (cached && hop === 0) headers['if-none-match'] = cached.etag;
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: 'manual', signal: options.signal ?? AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new RemoteCardError(`agent card at ${displayUrl(url.toString())} could not be fetched (${(err as Error).message})`, true);
    }
    if (response.status === 304 && cached) return cached.card;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      if (hop >= (options.maxRedirects ?? 3)) throw new RemoteCardError(`agent card at ${displayUrl(cardUrl)}: too many redirects`, false);
      url = new URL(location, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      throw new RemoteCardError(`agent card at ${displayUrl(url.toString())}: the server answered ${response.status}`, retryable);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new RemoteCardError(`agent card at ${displayUrl(url.toString())} is not valid JSON`, false);
    }
    const card = parseAgentCard(json, url.toString());
    checkInterfaces(card, options.allow, `agent card ${displayUrl(card.cardUrl)}`);
    const etag = response.headers.get('etag');
    if (etag) options.cache?.set(cardUrl, { etag, card });
    return card;
  }
}

/** Every URL a card says to call must be on an allowed host, as the card's own URL must. */
function checkInterfaces(card: RemoteCard, allow: HostAllowlist, what: string): void {
  for (const [i, iface] of card.interfaces.entries())
    checkAllowed(new URL(iface.url), allow, `${what} names an interface (${i}, ${iface.binding}) at`);
}

/**
 * A card written into the team file instead of fetched: checked as a fetched one is (shape,
 * interfaces on allowed hosts). Nothing is fetched, so there is no card URL; `label` stands in.
 */
export function readInlineCard(json: Record<string, unknown>, label: string, allow: HostAllowlist): RemoteCard {
  const card = parseAgentCard(json, label, 'inline agent card');
  checkInterfaces(card, allow, 'inline agent card');
  return card;
}
