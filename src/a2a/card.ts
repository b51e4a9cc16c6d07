import { AgentCard, type AgentInterface } from '@a2a-js/sdk';
import { duplicateInterfacesForLegacy } from '@a2a-js/sdk/compat/v0_3';
import type { TeamSpec } from '../spec/team';

/** Where one team is served: its card, JSON-RPC and REST endpoints sit under this path. */
export function teamPath(team: Pick<TeamSpec, 'name'>): string {
  return `/teams/${encodeURIComponent(team.name)}`;
}

export const JSONRPC_PATH = '/a2a/jsonrpc';
export const REST_PATH = '/a2a/rest';
export const CARD_PATH = '/.well-known/agent-card.json';
export const BEARER_SCHEME = 'bearer';

export interface CardSettings {
  /** Where clients reach this server, without a trailing slash, e.g. http://127.0.0.1:41241. */
  publicUrl: string;
  version: string;
  /** True when every call must carry a bearer token. */
  bearerAuth: boolean;
  /**
   * The gRPC endpoint, when one is served: its target (`host:port`), and whether this team is the
   * one that answers v0.3 gRPC calls (those name no tenant, so only the first team declares them).
   */
  grpc?: { target: string; legacy: boolean };
}

/**
 * One card per team: each team is its own agent at its own path (A2A has no field to address a
 * skill, so one card with many teams would leave the server guessing which team a message is for).
 */
export function teamCard(team: TeamSpec, settings: CardSettings): AgentCard {
  const base = `${settings.publicUrl}${teamPath(team)}`;
  const interfaces: AgentInterface[] = [
    { url: `${base}${JSONRPC_PATH}`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
    { url: `${base}${REST_PATH}`, protocolBinding: 'HTTP+JSON', tenant: '', protocolVersion: '1.0' },
  ];
  // One gRPC endpoint serves every team; the tenant says which (A2A v1.0 AgentInterface.tenant).
  if (settings.grpc) interfaces.push({ url: settings.grpc.target, protocolBinding: 'GRPC', tenant: team.name, protocolVersion: '1.0' });
  const description = team.description ?? `A ${team.pattern.replace('_', '-')} team of ${team.agents.map((a) => a.name).join(', ')}.`;
  const bearer = { [BEARER_SCHEME]: { list: [] } };
  const card: AgentCard = {
    name: team.name,
    description,
    version: settings.version,
    supportedInterfaces: duplicateInterfacesForLegacy(
      interfaces,
      settings.grpc?.legacy ? ['JSONRPC', 'HTTP+JSON', 'GRPC'] : ['JSONRPC', 'HTTP+JSON'],
    ),
    // No provider: who runs the server is the operator's to say, not ours to invent.
    provider: undefined,
    capabilities: { streaming: true, pushNotifications: true, extensions: [], extendedAgentCard: false },
    securitySchemes: settings.bearerAuth
      ? {
          [BEARER_SCHEME]: {
            scheme: {
              $case: 'httpAuthSecurityScheme',
              value: { scheme: 'Bearer', bearerFormat: 'opaque', description: 'A token the server operator issued' },
            },
          },
        }
      : {},
    securityRequirements: settings.bearerAuth ? [{ schemes: bearer }] : [],
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: team.name,
        name: team.name,
        description,
        tags: team.tags ?? [team.pattern],
        examples: team.examples ?? [],
        inputModes: ['text/plain', 'application/json'],
        outputModes: ['text/plain'],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
  // The SDK serves the card with JSON.stringify, which would write its in-memory oneofs as
  // { scheme: { $case, value } }; v1.0 cards are ProtoJSON ({ httpAuthSecurityScheme: {...} }).
  // Hidden from spreads and clones, so code reading the card's fields sees the SDK's shape.
  Object.defineProperty(card, 'toJSON', { value: () => AgentCard.toJSON(card), enumerable: false });
  return card;
}
