import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { Role, type Message, type StreamResponse } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import { startA2AServer, type A2AServer, type A2AServerOptions } from '../../src/server/server';
import type { TeamSpec } from '../../src/spec/team';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptInput } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { secretBox } from '../../src/secrets/sealed';

/** A worker, a scripted model and an A2A front end on 127.0.0.1, all real, for one test file. */
export interface A2AEnv {
  model: ScriptedModelServer;
  worker: TestWorker;
  server: A2AServer;
  /** The SDK's own client for a team. */
  clientFor(team: string): Promise<Client>;
  stop(): Promise<void>;
}

export const SECRETS_KEY = 'a2a-test-secrets-key';

export async function startA2AEnv(teams: TeamSpec[], script: ScriptInput, options: Partial<A2AServerOptions> = {}): Promise<A2AEnv> {
  const model = await startScriptedModelServer({ script });
  const worker = await startTestWorker({
    model: { baseUrl: model.baseUrl },
    env: { ...process.env, DURABLE_TEAMS_SECRETS_KEY: SECRETS_KEY },
  });
  const server = await startA2AServer({
    teams,
    client: worker.client,
    port: 0,
    version: '0.0.0-test',
    tokens: null,
    secrets: secretBox(SECRETS_KEY),
    ...options,
  });
  return {
    model,
    worker,
    server,
    clientFor: (team) => new ClientFactory().createFromUrl(server.teamUrls[team]!),
    async stop() {
      await server.close();
      await worker.stop();
      await model.close();
    },
  };
}

export function userMessage(text: string, extra: Partial<Message> = {}): Message {
  return {
    messageId: randomUUID(),
    contextId: '',
    taskId: '',
    role: Role.ROLE_USER,
    parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
    ...extra,
  };
}

export function sendParams(message: Message, configuration: Record<string, unknown> = {}) {
  return {
    tenant: '',
    message,
    configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, returnImmediately: false, ...configuration },
    metadata: undefined,
  };
}

/** A stream event in a few words, for assertions: "task:submitted", "status:working", "status:working:<text>", "artifact:final-answer". */
export function describeEvent(event: StreamResponse): string {
  const p = event.payload!;
  if (p.$case === 'task') return `task:${p.value.status?.state}`;
  if (p.$case === 'artifactUpdate') return `artifact:${p.value.artifact?.artifactId}`;
  if (p.$case === 'message') return 'message';
  const text = p.value.status?.message?.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('') ?? '';
  return `status:${p.value.status?.state}${text ? `:${text}` : ''}`;
}

export async function collect(stream: AsyncIterable<StreamResponse>): Promise<StreamResponse[]> {
  const events: StreamResponse[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** What the SDK client throws for an A2A error: the JSON-RPC code and the message. */
export async function a2aError(call: Promise<unknown>): Promise<{ code: number; name: string; message: string }> {
  try {
    await call;
  } catch (err) {
    const e = err as { envelopeCode?: number; name: string; message: string };
    if (typeof e.envelopeCode !== 'number') throw err;
    return { code: e.envelopeCode, name: e.name, message: e.message };
  }
  throw new Error('the call succeeded; an A2A error was expected');
}
