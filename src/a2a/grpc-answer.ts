import * as grpc from '@grpc/grpc-js';
import { faultMessage, type RequestTag } from '../faults/faults';
import { specStatus } from './grpc-status';

/** A call as the SDK's gRPC services receive it: unary (with a callback) or server-streaming. */
export type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;
export type Callback = grpc.sendUnaryData<unknown>;

/** Ends a call with an error status (a second answer to a call already answered is dropped). */
export type Reply = (status: Partial<grpc.StatusObject>) => void;

/** The request's id goes back in the response metadata, as X-Request-Id does over HTTP. */
const REQUEST_ID_KEY = 'x-request-id';

/**
 * One call's answers, whoever gives them (the dispatcher, or the team's SDK service): each error
 * in the spec's status (see grpc-status.ts), an error that is no A2A one (the SDK says UNKNOWN)
 * as INTERNAL, the request's id in the metadata, and one answer per call. Returns how the
 * dispatcher ends the call, and (unary calls) the callback to give the SDK's service.
 */
export function answering(call: AnyCall, callback: Callback | undefined, request: RequestTag): { reply: Reply; callback?: Callback } {
  let answered = false;
  const sendMetadata = call.sendMetadata.bind(call);
  call.sendMetadata = (metadata: grpc.Metadata) => sendMetadata(withRequestId(metadata, request.id));
  if (callback) {
    const answer: Callback = (err, value, trailer, flags) => {
      if (answered) return;
      answered = true;
      callback(err && (errorStatus(err, request) as grpc.ServiceError), value, trailer, flags);
    };
    return { reply: (status) => answer(status as grpc.ServiceError, null), callback: answer };
  }
  call.once('finish', () => (answered = true));
  // The SDK's streams report their errors by emitting them on the call.
  const emit = call.emit.bind(call);
  call.emit = (event: string | symbol, ...args: unknown[]) => {
    if (event !== 'error') return emit(event, ...args);
    if (answered) return false;
    answered = true;
    return emit(event, errorStatus(args[0], request));
  };
  return { reply: (status) => call.emit('error', status) };
}

/** An error nobody foresaw, logged under the request's id, as the caller is told of it. */
export function internalStatus(err: unknown, request: RequestTag): Partial<grpc.StatusObject> {
  request.logFault(err);
  return { code: grpc.status.INTERNAL, details: faultMessage(request.id) };
}

function errorStatus(err: unknown, request: RequestTag): Partial<grpc.StatusObject> {
  const status = specStatus(err) as Partial<grpc.StatusObject>;
  const code = status.code === grpc.status.UNKNOWN ? grpc.status.INTERNAL : status.code;
  return { ...status, code, metadata: withRequestId(status.metadata?.clone() ?? new grpc.Metadata(), request.id) };
}

function withRequestId(metadata: grpc.Metadata, id: string): grpc.Metadata {
  metadata.set(REQUEST_ID_KEY, id);
  return metadata;
}
