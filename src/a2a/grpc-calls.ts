import * as grpc from '@grpc/grpc-js';
import type { BearerTokens, TokenHolder } from '../access/auth';
import { Caller } from '../access/caller';
import type { RunStarter } from '../temporal/run-starter';
import { requestTag, stderrFaultLog, type FaultLog, type RequestTag } from '../faults/faults';
import { answering, internalStatus, type AnyCall, type Callback, type Reply } from './grpc-answer';
import { depthProblem, tooDeep } from './input/depth';
import type { CallAdmission, Refusal } from '../access/quotas/quotas';
import { requestIdOf } from '../faults/request-id';

type Handler = (call: AnyCall, callback?: Callback) => unknown;

/** What a request that decodes only past the stack's depth is replaced with (see grpc-server.ts). */
export const TOO_DEEP_REQUEST: unique symbol = Symbol('too deep to decode');

/** One team's SDK services, as one tenant of the shared gRPC endpoint. */
export interface GrpcTenant {
  name: string;
  service: grpc.UntypedServiceImplementation;
}

/** What the dispatcher learnt about a call before the SDK's service sees it. */
interface CallState {
  holder: TokenHolder | null;
  gone: AbortController;
  request: RequestTag;
}

/**
 * The calls in flight and who made them. The SDK's services hand our user builder only the call,
 * so the dispatcher leaves the token holder and the call's end signal here for it to pick up.
 */
export class GrpcCalls {
  private readonly states = new WeakMap<object, CallState>();
  private readonly streams = new Set<AbortController>();
  private gate: CallGate | null = null;

  constructor(
    private readonly tokens: BearerTokens | null,
    private readonly faultLog: FaultLog = stderrFaultLog,
  ) {}

  /**
   * The service registered with grpc-js: each method checks the bearer token in the call's
   * metadata, picks the team the request's `tenant` names (an empty tenant is the first team's,
   * as the root card is), and hands the call to that team's SDK service. Whatever throws on the
   * way (here, in the quotas, in the service) ends that call alone, as INTERNAL, logged once.
   */
  dispatcher(methods: string[], tenants: readonly GrpcTenant[]): grpc.UntypedServiceImplementation {
    return Object.fromEntries(
      methods.map((method) => {
        const handler: Handler = (call, callback) => {
          const request = requestTag(requestIdOf(call.metadata.get('x-request-id')[0]), method, 'grpc', this.faultLog);
          const answers = answering(call, callback, request);
          const failed = (err: unknown) => answers.reply(internalStatus(err, request));
          this.dispatch(call, answers, method, tenants, request).catch(failed);
        };
        return [method, handler];
      }),
    );
  }

  private async dispatch(
    call: AnyCall,
    answers: { reply: Reply; callback?: Callback },
    method: string,
    tenants: readonly GrpcTenant[],
    request: RequestTag,
  ): Promise<void> {
    const { reply } = answers;
    const holder = this.authenticate(call.metadata);
    if (holder === 'missing' || holder === 'invalid')
      return reply({
        code: grpc.status.UNAUTHENTICATED,
        details: holder === 'missing' ? 'this agent needs "authorization: Bearer <token>" metadata' : 'the bearer token is not valid',
      });
    if (tenants.length === 0) return reply({ code: grpc.status.UNAVAILABLE, details: 'starting up; try again' });
    const deep = call.request === TOO_DEEP_REQUEST ? [] : tooDeep(call.request);
    if (deep) return reply({ code: grpc.status.INVALID_ARGUMENT, details: depthProblem(deep, 'request') });
    const tenant = (call.request as { tenant?: unknown } | null)?.tenant;
    const name = typeof tenant === 'string' && tenant !== '' ? tenant : tenants[0]!.name;
    const service = tenants.find((t) => t.name === name)?.service;
    if (!service)
      return reply({
        code: grpc.status.NOT_FOUND,
        details: `no team "${name}" here (the tenant names the team; these are served: ${tenants.map((t) => t.name).join(', ')})`,
      });
    const starter: RunStarter | null = holder ? { token: holder.name } : addressStarter(call.getPeer());
    const gate = this.gate ?? openGate;
    let admission: CallAdmission;
    try {
      admission = await gate(starter, startsRun(method, call.request), !answers.callback);
    } catch (err) {
      return reply({ code: grpc.status.INTERNAL, details: `quotas: ${(err as Error).message}` });
    }
    if (admission.refused) return reply(refusedStatus(admission.refused));
    const { release } = admission;
    admission.run(() => this.start(call, answers, method, service, { holder, gone: new AbortController(), request }, release));
  }

  /** Checks each call against the front end's quotas (see quotas.ts) before a team's service sees it. */
  limitBy(gate: CallGate): void {
    this.gate = gate;
  }

  private start(
    call: AnyCall,
    answers: { reply: Reply; callback?: Callback },
    method: string,
    service: grpc.UntypedServiceImplementation,
    state: CallState,
    release: () => void,
  ): void {
    const { gone, request } = state;
    gone.signal.addEventListener('abort', release, { once: true });
    this.states.set(call, state);
    const done = () => gone.abort();
    call.once('cancelled', done);
    if (call.cancelled) done(); // gone while it was admitted: its place and its stream go now
    // The SDK's services answer their own errors; should one still throw or reject, the call ends all the same.
    const failed = (err: unknown) => {
      done();
      answers.reply(internalStatus(err, request));
    };
    let served: unknown;
    try {
      if (answers.callback) {
        const answer = answers.callback;
        served = (service[method] as Handler)(call, (err, value, trailer, flags) => {
          done();
          answer(err, value, trailer, flags);
        });
      } else {
        this.streams.add(gone);
        gone.signal.addEventListener('abort', () => this.streams.delete(gone), { once: true });
        for (const event of ['finish', 'close', 'error']) call.once(event, done);
        served = (service[method] as Handler)(call);
      }
    } catch (err) {
      return failed(err);
    }
    if (served instanceof Promise) served.catch(failed);
  }

  /** The SDK's user builder: the same Caller the HTTP bindings make, from the call. */
  readonly userBuilder = async (call: AnyCall): Promise<Caller> => {
    const state = this.states.get(call);
    const gone = state?.gone.signal ?? AbortSignal.abort();
    const holder = state?.holder ?? null;
    const address = peerAddress(call.getPeer());
    return new Caller(holder?.name ?? null, gone, null, undefined, address, holder?.roles ?? new Set(), state?.request);
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

/** `ipv4:127.0.0.1:5555`, `[::1]:5555` or `127.0.0.1:5555` → the address alone. */
export function peerAddress(peer: string): string | null {
  const bare = peer.replace(/^(ipv4|ipv6|unix):/, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(bare);
  if (bracketed) return bracketed[1]!;
  const v4 = /^([^:]+):\d+$/.exec(bare);
  if (v4) return v4[1]!;
  return bare || null;
}
