import { TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, RestTransportFactory, type Client } from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { describeEvent } from '../a2a/a2a-env';

/** `call`, or a failure naming `what` should it not settle within `ms`: a hung read fails as such, not as Jest's timeout. */
export async function within<T>(ms: number, what: string, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1_000} s`)), ms);
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The three bindings a reader may use, each through the SDK's own client for it. */
export const TRANSPORTS = ['JSONRPC', 'HTTP+JSON', 'GRPC'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The SDK's client of the team at `teamUrl`, speaking `transport` (the card says where each is served). */
export async function clientOver(transport: Transport, teamUrl: string): Promise<Client> {
  const factory = {
    JSONRPC: () => new JsonRpcTransportFactory(),
    'HTTP+JSON': () => new RestTransportFactory(),
    GRPC: () => new GrpcTransportFactory(),
  }[transport]();
  const client = await new ClientFactory({ transports: [factory], preferredTransports: [transport] }).createFromUrl(teamUrl);
  if (client.transport.protocolName !== transport) throw new Error(`asked for ${transport}, got ${client.transport.protocolName}`);
  return client;
}

export const RUNNING_STATES: readonly TaskState[] = [TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING];

export const stateOf = (event: StreamResponse): TaskState | undefined =>
  event.payload?.$case === 'task' || event.payload?.$case === 'statusUpdate' ? event.payload.value.status?.state : undefined;

export const taskOf = (event: StreamResponse): Task => {
  if (event.payload?.$case !== 'task') throw new Error(`expected the task first, got ${event.payload?.$case}`);
  return event.payload.value;
};

/** The text of the final-answer artifact a stream carried, or null when it carried none. */
export function finalAnswerOf(events: StreamResponse[]): string | null {
  for (const event of events) {
    if (event.payload?.$case !== 'artifactUpdate' || event.payload.value.artifact?.artifactId !== 'final-answer') continue;
    const part = event.payload.value.artifact.parts[0]?.content;
    return part?.$case === 'text' ? part.value : null;
  }
  return null;
}

/** A stream's status updates and final answer in a few words (drafts, which are live only, left out). */
export const recordedEvents = (events: StreamResponse[]): string[] =>
  events.filter((e) => e.payload?.$case === 'statusUpdate' || finalAnswerOf([e]) !== null).map(describeEvent);
