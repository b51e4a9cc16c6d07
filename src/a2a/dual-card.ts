import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { A2A_VERSION_HEADER, AgentCard } from '@a2a-js/sdk';

type Json = Record<string, unknown>;

/**
 * The card for a request that names no protocol version: the v1.0 card (ProtoJSON) with the
 * v0.3 fields beside it. A2A says an empty `A2A-Version` is v0.3 (§3.6.2), so v0.3 clients must
 * find `url`, `preferredTransport`, `protocolVersion`, `additionalInterfaces`, `security` and
 * `supportsAuthenticatedExtendedCard`; v1.0 readers ignore what they do not know (§5.7) and find
 * `supportedInterfaces`, `securityRequirements` and `capabilities.extendedAgentCard`. The one
 * field both versions name, `securitySchemes`, holds each scheme in both forms at once: v0.3's
 * `{ type: "http", scheme, ... }` with v1.0's `{ httpAuthSecurityScheme: {...} }` inside it.
 * Readers that refuse unknown fields (the A2A TCK's JSON schema) refuse it: see the README.
 */
export function dualCardJson(card: AgentCard): Json {
  const v1 = AgentCard.toJSON(card) as Json;
  const interfaces = card.supportedInterfaces.filter((i) => i.protocolVersion === '0.3');
  const main = interfaces.find((i) => i.protocolBinding === 'JSONRPC') ?? interfaces[0] ?? card.supportedInterfaces[0];
  const schemes = Object.fromEntries(
    Object.entries((v1.securitySchemes ?? {}) as Record<string, Json>).map(([name, scheme]) => [
      name,
      { ...legacyScheme(scheme), ...scheme },
    ]),
  );
  return {
    ...v1,
    securitySchemes: schemes,
    url: main?.url,
    preferredTransport: main?.protocolBinding,
    protocolVersion: '0.3',
    additionalInterfaces: interfaces.filter((i) => i !== main).map((i) => ({ url: i.url, transport: i.protocolBinding })),
    supportsAuthenticatedExtendedCard: card.capabilities?.extendedAgentCard === true,
    security: card.securityRequirements.map((r) =>
      Object.fromEntries(Object.entries(r.schemes).map(([name, scopes]) => [name, scopes.list])),
    ),
  };
}

/** A v1.0 security scheme (ProtoJSON oneof) in its v0.3 form: `type` and the fields flat. */
function legacyScheme(scheme: Json): Json {
  const [[kind, fields] = []] = Object.entries(scheme);
  const flat = (fields ?? {}) as Json;
  switch (kind) {
    case 'httpAuthSecurityScheme':
      return { type: 'http', ...flat };
    case 'apiKeySecurityScheme': {
      const { location, ...rest } = flat;
      return { type: 'apiKey', in: location, ...rest };
    }
    case 'oauth2SecurityScheme':
      return { type: 'oauth2', ...flat };
    case 'openIdConnectSecurityScheme':
      return { type: 'openIdConnect', ...flat };
    case 'mtlsSecurityScheme':
      return { type: 'mutualTLS', ...flat };
    default:
      return {};
  }
}

/**
 * Serves the dual card to a request with no `A2A-Version` (header or query parameter), with the
 * caching headers the SDK's card handler gives; any other request goes on to that handler.
 */
export function dualCardHandler(card: AgentCard, maxAge: number): RequestHandler {
  const body = JSON.stringify(dualCardJson(card));
  const etag = `W/"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  return (req, res, next) => {
    const asked = req.header(A2A_VERSION_HEADER) ?? req.query[A2A_VERSION_HEADER];
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (typeof asked === 'string' ? asked.trim() !== '' : asked !== undefined) return next();
    res.setHeader('ETag', etag);
    res.append('Vary', A2A_VERSION_HEADER);
    res.setHeader('Cache-Control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache');
    if (req.fresh) return void res.status(304).end();
    res.status(200).type('application/json').send(body);
  };
}
