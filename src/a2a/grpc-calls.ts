import * as grpc from '@grpc/grpc-js';
import type { BearerTokens, TokenHolder } from './auth';
import { Caller } from './caller';
import type { RunStarter } from '../temporal/run-starter';
import { specStatus } from './grpc-status';
import type { CallAdmission, Refusal } from './quotas/quotas';

/** A call as the SDK's gRPC services receive it: unary (with a callback) or server-streaming. */
type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;
type Callback = grpc.sendUnaryData<unknown>;
type Handler = (call: AnyCall, callback?: Callback) => void;

/** One team's SDK services, as one tenant of the shared gRPC endpoint. */
export interface GrpcTenant {
  name: string;
  service: grpc.UntypedServiceImplementation;
}

/** What the dispatcher learnt about a call before the SDK's service sees it. */
interface CallState {
  holder: TokenHolder | null;
  gone: AbortController;
}

/**
 * The calls in flight and who made them. The SDK's services hand our user builder only the call,
 * so the dispatcher leaves the token holder and the call's end signal here for it to pick up.
 */
export class GrpcCalls {
  private readonly states = new WeakMap<object, CallState>();
  private readonly streams = new Set<AbortController>();
  private gate: CallGate | null = null;

  constructor(private readonly tokens: BearerTokens | null) {}

  /**
   * The service registered with grpc-js: each method checks the bearer token in the call's
   * metadata, picks the team the request's `tenant` names (an empty tenant is the first team's,
   * as the root card is), and hands the call to that team's SDK service.
   */
  dispatcher(methods: string[], tenants: readonly GrpcTenant[]): grpc.UntypedServiceImplementation {
    return Object.fromEntries(
      methods.map((method) => {
        const handler: Handler = (call, callback) => {
          const holder = this.authenticate(call.metadata);
          if (holder === 'missing' || holder === 'invalid')
            return fail(call, callback, {
              code: grpc.status.UNAUTHENTICATED,
              details: holder === 'missing' ? 'this agent needs "authorization: Bearer <token>" metadata' : 'the bearer token is not valid',
            });
          if (tenants.length === 0) return fail(call, callback, { code: grpc.status.UNAVAILABLE, details: 'starting up; try again' });
          const tenant = (call.request as { tenant?: unknown } | null)?.tenant;
          const name = typeof tenant === 'string' && tenant !== '' ? tenant : tenants[0]!.name;
          const service = tenants.find((t) => t.name === name)?.service;
          if (!service)
            return fail(call, callback, {
              code: grpc.status.NOT_FOUND,
              details: `no team "${name}" here (the tenant names the team; these are served: ${tenants.map((t) => t.name).join(', ')})`,
            });
          const starter: RunStarter | null = holder ? { token: holder.name } : addressStarter(call.getPeer());
          const gate = this.gate ?? openGate;
          gate(starter, startsRun(method, call.request), !callback).then(
            (admission) => {
              if (admission.refused) return fail(call, callback, refusedStatus(admission.refused));
              admission.run(() => this.start(call, callback, method, service, holder, admission.release));
            },
            (err: Error) => fail(call, callback, { code: grpc.status.INTERNAL, details: `quotas: ${err.message}` }),
          );
        };
        return [method, handler];
      }),
    );
  }

  /** Checks each call against the front end's quotas (see quotas.ts) before a team's service sees it. */
  limitBy(gate: CallGate): void {
    this.gate = gate;
  }

  private start(
    call: AnyCall,
    callback: Callback | undefined,
    method: string,
    service: grpc.UntypedServiceImplementation,
    holder: TokenHolder | null,
    release: () => void,
  ): void {
    const gone = new AbortController();
    gone.signal.addEventListener('abort', release, { once: true });
    this.states.set(call, { holder, gone });
    const done = () => gone.abort();
    call.once('cancelled', done);
    if (call.cancelled) done(); // gone while it was admitted: its place and its stream go now
    if (callback) {
      (service[method] as Handler)(call, (err, value, trailer, flags) => {
        done();
        callback(err && (specStatus(err) as grpc.ServiceError), value, trailer, flags);
      });
    } else {
      this.streams.add(gone);
      gone.signal.addEventListener('abort', () => this.streams.delete(gone), { once: true });
      for (const event of ['finish', 'close', 'error']) call.once(event, done);
      // The SDK's streams report their errors by emitting them on the call.
      const emit = call.emit.bind(call);
      call.emit = (event: string | symbol, ...args: unknown[]) =>
        event === 'error' ? emit(event, specStatus(args[0])) : emit(event, ...args);
      (service[method] as Handler)(call);
    }
  }

  /** The SDK's user builder: the same Caller the HTTP bindings make, from the call. */
  readonly userBuilder = async (call: AnyCall): Promise<Caller> => {
    const state = this.states.get(call);
    const gone = state?.gone.signal ?? AbortSignal.abort();
    const holder = state?.holder ?? null;
    return new Caller(holder?.name ?? null, gone, null, undefined, peerAddress(call.getPeer()), holder?.roles ?? new Set());
  };

  /** Ends every event stream at once (a stream's client subscribes again elsewhere). */
  endStreams(): void {
    for (const gone of [...this.streams]) gone.abort();
  }

  private authenticate(metadata: grpc.Metadata): TokenHolder | null | 'missing' | 'invalid' {
    if (!this.tokens) return null;
    const value = metadata.get('authorization')[0];
    const match = /^Bearer\s+(\S+)\s*$/i.exec(typeof value === 'string' ? value : (value?.toString('utf8') ?? ''));
    if (!match) return 'missing';
    return this.tokens.identify(match[1]!) ?? 'invalid';
  }
}

/** Whether to admit a call (one that may start a run, or that opens a stream): the quotas' admitCall. */
export type CallGate = (starter: RunStarter | null, startsRun: boolean, opensStream: boolean) => Promise<CallAdmission>;

const openGate: CallGate = async () => ({ run: (go) => go(), release: () => undefined });

/** A send whose message names no task starts a run (v1.0 carries `message`, v0.3 `request`). */
function startsRun(method: string, request: unknown): boolean {
  // grpc-js names a service's methods in lowerCamelCase (sendMessage), the proto in UpperCamel.
  if (!/^(s|S)end(Streaming)?Message$/.test(method)) return false;
  const body = request as { message?: { taskId?: string }; request?: { taskId?: string } } | null;
  return !(body?.message ?? body?.request)?.taskId;
}

function addressStarter(peer: string): RunStarter | null {
  const address = peerAddress(peer);
  return address ? { address } : null;
}

/** A quota refusal as gRPC says it: RESOURCE_EXHAUSTED, with when to retry in the trailers. */
function refusedStatus(refusal: Refusal): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set('retry-after', String(refusal.retryAfterSeconds));
  metadata.set('a2a-quota-reason', refusal.reason);
  return { code: grpc.status.RESOURCE_EXHAUSTED, details: refusal.message, metadata };
}

function fail(call: AnyCall, callback: Callback | undefined, status: Partial<grpc.StatusObject>): void {
  if (callback) callback(status, null);
  else call.emit('error', status);
}

/** `ipv4:127.0.0.1:5555`, `[::1]:5555` or `127.0.0.1:5555` → the address alone. */
export function peerAddress(peer: string): string | null {
  const bare = peer.replace(/^(ipv4|ipv6|unix):/, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(bare);
  if (bracketed) return bracketed[1]!;
  const v4 = /^([^:]+):\d+$/.exec(bare);
  if (v4) return v4[1]!;
  return bare || null;
}
