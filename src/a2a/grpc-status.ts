import type * as grpc from '@grpc/grpc-js';
import { GRPC_STATUS_CODE, GRPC_STATUS_DETAILS_BIN, decodeErrorInfo, decodeStatus, encodeGrpcStatusDetails } from '@a2a-js/sdk/errors/grpc';

/**
 * The gRPC status the spec gives an A2A error, where the SDK gives another (A2A v1.0 §5.4).
 * @a2a-js/sdk 1.3.0 answers VersionNotSupportedError with FAILED_PRECONDITION; the spec's table
 * says UNIMPLEMENTED (the TCK's GRPC-ERR-002 checks it).
 */
const SPEC_STATUS: Record<string, number> = { VERSION_NOT_SUPPORTED: GRPC_STATUS_CODE.UNIMPLEMENTED };

/** The SDK's error status, with its code (and the code in its status details) as the spec has it. */
export function specStatus(status: unknown): unknown {
  const s = status as Partial<grpc.StatusObject> | null;
  const blob = s?.metadata?.get(GRPC_STATUS_DETAILS_BIN)[0];
  if (!s || !Buffer.isBuffer(blob)) return status;
  const decoded = decodeStatus(blob);
  const info = decoded.details
    .filter((d) => d.typeUrl.endsWith('/google.rpc.ErrorInfo'))
    .map((d) => decodeErrorInfo(Buffer.from(d.value)))
    .find((i) => i.reason in SPEC_STATUS);
  if (!info) return status;
  const code = SPEC_STATUS[info.reason]!;
  const metadata = s.metadata!.clone();
  metadata.set(GRPC_STATUS_DETAILS_BIN, encodeGrpcStatusDetails(code, decoded.message, info.reason, info.metadata));
  return { ...s, code, metadata };
}
