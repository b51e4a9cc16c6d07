import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import type { Task } from '@a2a-js/sdk';
import { bearerTokens } from '../../src/access/auth';
import { defaultMemoryStore } from '../../src/site/default-memory';
import { listMemory } from '../../src/memory/memory-admin';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';
import { TOKENS, withBearer } from '../a2a/callers';
import { FACT, MEMORY_SCRIPT, memoryTeam, systemMessagesOf } from './memory-fixtures';

/**
 * User-scoped memory over A2A: the user key comes from the message metadata `durableTeams.user`,
 * prefixed with the caller's token name, so two callers naming the same user keep apart; a start
 * without it is refused as invalid params naming the field. The worker's memory is the default one,
 * beside the suite's store.
 */
describe('agent memory over A2A', () => {
  const team = memoryTeam('a2a-memo', 'keeper', { scope: 'user' });
  let env: A2AEnv;
  const clients: Record<string, Client> = {};

  beforeAll(async () => {
    env = await startA2AEnv([team], MEMORY_SCRIPT, { tokens: bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`], 'test') });
    for (const name of ['alice', 'bob'] as const) {
      const transports = [new JsonRpcTransportFactory({ fetchImpl: withBearer(TOKENS[name]) })];
      clients[name] = await new ClientFactory({ transports }).createFromUrl(env.server.teamUrls[team.name]!);
    }
  });
  afterAll(() => env?.stop());

  const send = async (caller: string, user?: string): Promise<string> => {
    const metadata = user ? { durableTeams: { user } } : undefined;
    const task = (await clients[caller]!.sendMessage(
      sendParams(userMessage('Which colour for the invoice header?', { metadata })),
    )) as Task;
    await env.worker.client.result(task.id);
    return task.id;
  };

  it('recalls for the same caller and user only; refuses a start without the user key, naming the field', async () => {
    const refused = await a2aError(clients.alice!.sendMessage(sendParams(userMessage('Hello.'))));
    expect(refused.code).toBe(-32602);
    expect(refused.message).toContain('metadata.durableTeams.user');

    const first = await send('alice', 'ana');
    expect(systemMessagesOf(env.model, first, 'keeper')).toHaveLength(1);
    const again = await send('alice', 'ana');
    expect(systemMessagesOf(env.model, again, 'keeper')[1]).toBe(`Relevant memory:\n- ${FACT}`);
    // bob names the same user: his key is "bob:ana", and alice's caller's memory stays hers.
    const other = await send('bob', 'ana');
    expect(systemMessagesOf(env.model, other, 'keeper')).toHaveLength(1);

    const memory = defaultMemoryStore();
    try {
      expect(await listMemory(memory, { team: team.name, scope: 'user', key: 'alice:ana' })).toHaveLength(2);
      expect(await listMemory(memory, { team: team.name, scope: 'user', key: 'ana' })).toHaveLength(0);
    } finally {
      await memory.close();
    }
  }, 120_000);
});
