import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkTarget, checkingLookup, type Resolver, type TargetPolicy } from './outbound-target';

export interface CheckedResponse {
  status: number;
  headers: Headers;
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * POSTs JSON to a URL the policy allows, checked twice: before anything is sent (an IP literal, or
 * every address the name resolves to), and again in the connection's own lookup, whose checked
 * addresses are the only ones the socket may use. Redirects are answers like any other (never
 * followed). Throws a RefusedTargetError before connecting when the target is inward.
 */
export async function checkedPost(
  raw: string,
  init: { headers: Record<string, string>; body: string; signal: AbortSignal; policy: TargetPolicy; resolve?: Resolver },
): Promise<CheckedResponse> {
  const url = await checkTarget(raw, init.policy, init.resolve);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-length': Buffer.byteLength(init.body).toString(), ...init.headers },
        signal: init.signal,
        lookup: checkingLookup(url, init.policy, init.resolve),
      },
      (res) => {
        res.resume(); // the body is not wanted; drain it so the socket is freed
        res.on('error', () => undefined);
        resolve({ status: res.statusCode ?? 0, headers: headersOf(res.headers) });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
