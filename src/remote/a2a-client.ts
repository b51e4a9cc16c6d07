import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';
import type { RemoteCard } from './agent-card';

/**
 * The SDK's client for a card we have already read and checked: JSON-RPC or REST, whichever the
 * card offers, v0.3 peers understood, every request through `fetchImpl`.
 */
export async function a2aClientFor(card: RemoteCard, fetchImpl: typeof fetch): Promise<Client> {
  const options = ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [
      new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }),
      new RestTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }),
    ],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat: { enabled: true } }),
  });
  return new ClientFactory(options).createFromAgentCard(
    new DefaultAgentCardResolver({ legacyCompat: { enabled: true } }).normalizeAgentCard(card.raw),
  );
}
