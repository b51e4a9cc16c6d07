import * as grpc from '@grpc/grpc-js';
import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import { A2AService, grpcService } from '@a2a-js/sdk/server/grpc';
import { LegacyA2AService, legacyGrpcService } from '@a2a-js/sdk/compat/v0_3/server/grpc';
import type { BearerTokens } from '../access/auth';
import type { FaultLog } from '../faults/faults';
import { GrpcCalls, TOO_DEEP_REQUEST, type CallGate, type GrpcTenant } from './grpc-calls';

export interface GrpcTeam {
  name: string;
  handler: A2ARequestHandler;
}

export interface GrpcServerOptions {
  tokens: BearerTokens | null;
  host: string;
  /** 0 for a free port. */
  port: number;
  /** Largest request message, in bytes (the HTTP body limit, so both bindings take the same). */
  maxMessageBytes: number;
  /** Where a call's unforeseen failure is logged (default: a JSON line on stderr). */
  faultLog?: FaultLog;
}

export interface GrpcServer {
  /** Where clients reach it, as gRPC targets are written: `127.0.0.1:50051`, `[::1]:50051`. */
  target: string;
  port: number;
  /**
   * The teams to serve, in card order (the first answers calls that name no tenant). Given once
   * the port is known, since the cards that declare it are built with the handlers.
   */
  serve(teams: GrpcTeam[], gate?: CallGate): void;
  /** Ends event streams at once, lets unary calls finish within `graceMs`, then cuts the rest off. */
  close(graceMs: number): Promise<void>;
}

/**
 * The gRPC binding (A2A v1.0 §10, and the v0.3 service beside it for older clients): one endpoint
 * for every team, each team a tenant. The teams' own request handlers answer, so auth, task
 * scoping, webhook checks and limits are the HTTP bindings' own.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const calls = new GrpcCalls(options.tokens, options.faultLog);
  const userBuilder = calls.userBuilder;
  const v1: GrpcTenant[] = [];
  const legacy: GrpcTenant[] = [];
  const server = new grpc.Server({ 'grpc.max_receive_message_length': options.maxMessageBytes });
  server.addService(decodingShallow(A2AService), calls.dispatcher(Object.keys(A2AService), v1));
  // v0.3 requests carry no tenant: they all reach the first team, whose card alone declares them.
  server.addService(decodingShallow(LegacyA2AService), calls.dispatcher(Object.keys(LegacyA2AService), legacy));
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err
        ? reject(
            new Error(`gRPC: cannot listen on ${host}:${options.port} (${err.message}); pick another --grpc-port (0 for any free one)`),
          )
        : resolve(bound),
    ),
  );
  const targetHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '[::1]' : host;
  return {
    target: `${targetHost}:${port}`,
    port,
    serve(teams, gate) {
      if (gate) calls.limitBy(gate);
      for (const { name, handler } of teams) {
        v1.push({ name, service: grpcService({ requestHandler: handler, userBuilder }) });
        legacy.push({ name, service: legacyGrpcService({ requestHandler: handler, userBuilder }) as grpc.UntypedServiceImplementation });
      }
    },
    close: async (graceMs) => {
      calls.endStreams();
      let timer: NodeJS.Timeout | undefined;
      const shutDown = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      const graceUp = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      if ((await Promise.race([shutDown, graceUp])) === 'late') server.forceShutdown();
      clearTimeout(timer);
    },
  };
}

/**
 * The service's decoders read a Struct (data parts, metadata) recursively: one nested a few
 * thousand levels deep overflows the stack while it is decoded. Such a request becomes
 * TOO_DEEP_REQUEST, which the dispatcher refuses as INVALID_ARGUMENT like any request nested past
 * the limit, rather than grpc-js's INTERNAL "Error deserializing request".
 */
function decodingShallow(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const methods = Object.entries(service).map(([name, method]) => {
    const decode = method.requestDeserialize;
    const requestDeserialize = (bytes: Buffer): unknown => {
      try {
        return decode(bytes);
      } catch (err) {
        if (err instanceof RangeError && /call stack/i.test(err.message)) return TOO_DEEP_REQUEST;
        throw err;
      }
    };
    return [name, { ...method, requestDeserialize }];
  });
  return Object.fromEntries(methods) as grpc.ServiceDefinition;
}
