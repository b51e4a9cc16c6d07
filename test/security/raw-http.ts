import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  text: string;
  /** The body's `error.message`, when it is a JSON error. */
  message: string | undefined;
}

/**
 * One HTTP call with exactly the headers given, by node:http: fetch would add or refuse some
 * (Host, Origin, Sec-Fetch-*), which is what a browser sends and these tests play.
 */
export function rawCall(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let message: string | undefined;
          try {
            message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
          } catch {
            message = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, message });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON body with its content type, as the page and the SDKs send one. */
export const json = (value: unknown): { headers: Record<string, string>; body: string } => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});
