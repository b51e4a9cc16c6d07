import type { RemoteTurnRequest } from '../core/activity-contract';
import { injectTraceHeaders, inSpan, serverAttributes, SpanKind, spanUrl } from '../telemetry/spans';
import { RemoteCallError, TransientRemoteError } from './remote-call-error';

/**
 * fetch for the SDK's transports: our credentials for the agent added (read from `env`, never
 * carried in the request), one client span per request, transient HTTP failures told apart.
 */
export function remoteFetch(agent: RemoteTurnRequest['agent'], env: Record<string, string | undefined>): typeof fetch {
  const headers: Record<string, string> = {};
  const auth = agent.auth;
  const secret = (name: string) => {
    const value = env[name];
    if (!value)
      throw new RemoteCallError(
        `remote agent "${agent.name}": environment variable ${name} is not set on the worker`,
        'RemoteAgentConfig',
        false,
      );
    return value;
  };
  if (auth?.bearerEnv) headers.authorization = `Bearer ${secret(auth.bearerEnv)}`;
  if (auth?.apiKeyEnv) headers[auth.apiKeyHeader ?? 'x-api-key'] = secret(auth.apiKeyEnv);
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const rpc = typeof init?.body === 'string' ? /"method"\s*:\s*"([^"]+)"/.exec(init.body)?.[1] : undefined;
    const attributes = {
      'http.request.method': method,
      'url.full': spanUrl(url),
      ...serverAttributes(url),
      ...(rpc ? { 'rpc.method': rpc } : {}),
    };
    // One client span per request; its trace context goes along, so a remote that traces joins in.
    return inSpan(`A2A ${rpc ?? `${method} ${new URL(url).pathname}`}`, SpanKind.CLIENT, attributes, async (span) => {
      const merged = new Headers(init?.headers);
      for (const [name, value] of Object.entries(headers)) merged.set(name, value);
      injectTraceHeaders(merged);
      let response: Response;
      try {
        // Each call brings its own signal: the run's cancellation for sends and polls, a deadline
        // of its own for the CancelTask sent after that cancellation.
        response = await fetch(input, { ...init, headers: merged, redirect: 'error' });
      } catch (err) {
        if (init?.signal?.aborted) throw err;
        throw new TransientRemoteError(`could not be reached (${(err as Error).message})`);
      }
      span.setAttribute('http.response.status_code', response.status);
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        throw new TransientRemoteError(`answered ${response.status}`);
      }
      return response;
    });
  };
}
