import { AgentCard } from '@a2a-js/sdk';
import { teamCard } from '../../../src/a2a/card';
import { dualCardJson } from '../../../src/a2a/dual-card';
import { reviewTeam } from '../../helpers/teams';

const settings = { publicUrl: 'http://127.0.0.1:1', version: '1.0.0', bearerAuth: false };

describe('the card without A2A-Version (dual-card.ts)', () => {
  it('without auth: no schemes, no security, the v0.3 interfaces as url + additionalInterfaces', () => {
    const json = dualCardJson(teamCard(reviewTeam(), settings));
    expect(json).toMatchObject({
      url: 'http://127.0.0.1:1/teams/review/a2a/jsonrpc',
      preferredTransport: 'JSONRPC',
      protocolVersion: '0.3',
      additionalInterfaces: [{ url: 'http://127.0.0.1:1/teams/review/a2a/rest', transport: 'HTTP+JSON' }],
      securitySchemes: {},
      security: [],
    });
  });

  it('writes each kind of scheme in its v0.3 form beside the v1.0 one (apiKey: location is v0.3’s "in")', () => {
    const card = teamCard(reviewTeam(), settings);
    const apiKey = AgentCard.fromJSON({
      ...(AgentCard.toJSON(card) as object),
      securitySchemes: {
        key: { apiKeySecurityScheme: { location: 'header', name: 'X-Key', description: 'a key' } },
        oidc: { openIdConnectSecurityScheme: { openIdConnectUrl: 'https://id.example/.well-known/openid-configuration' } },
        mtls: { mtlsSecurityScheme: { description: 'client certs' } },
      },
      securityRequirements: [{ schemes: { key: { list: [] }, oidc: { list: ['read'] } } }],
    });
    const json = dualCardJson(apiKey);
    expect(json.securitySchemes).toEqual({
      key: { type: 'apiKey', in: 'header', name: 'X-Key', description: 'a key', apiKeySecurityScheme: expect.any(Object) },
      oidc: {
        type: 'openIdConnect',
        openIdConnectUrl: 'https://id.example/.well-known/openid-configuration',
        openIdConnectSecurityScheme: expect.any(Object),
      },
      mtls: { type: 'mutualTLS', description: 'client certs', mtlsSecurityScheme: expect.any(Object) },
    });
    expect(json.security).toEqual([{ key: [], oidc: ['read'] }]);
  });
});
