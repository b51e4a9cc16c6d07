/**
 * Calls to the console API. The token is kept in sessionStorage (this browser tab's session only)
 * and sent as an Authorization header, never in a URL, so it stays out of logs and history.
 */
const TOKEN_KEY = 'durable-teams-console-token';

export const savedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** The API refused the call; `message` says why in words a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Told when a call comes back 401, so the page asks for a token again. */
let onUnauthorized: (message: string) => void = () => undefined;
export const whenUnauthorized = (handler: (message: string) => void): void => {
  onUnauthorized = handler;
};

const headers = (json: boolean): Record<string, string> => {
  const token = savedToken();
  return { ...(json ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
};

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  const message = body?.error?.message ?? `the console API answered ${response.status}`;
  if (response.status === 401) onUnauthorized(message);
  return new ApiError(response.status, message);
}

export async function get<T>(path: string): Promise<T> {
  const response = await fetch(`api/${path}`, { headers: headers(false) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`api/${path}`, { method: 'POST', headers: headers(true), body: JSON.stringify(body) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** Reads a JSON Lines stream (a run's watch) until it ends or `signal` aborts, handing each line on. */
export async function stream<T>(path: string, signal: AbortSignal, onLine: (line: T) => void): Promise<void> {
  const response = await fetch(`api/${path}`, { headers: headers(false), signal });
  if (!response.ok || !response.body) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line) as T);
  }
}
