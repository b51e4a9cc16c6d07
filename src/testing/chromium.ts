import { existsSync } from 'node:fs';

/** Where the console's tests and benchmark look for a browser: Debian's `chromium` package, unless CHROMIUM_PATH says otherwise. */
export const CHROMIUM_PATH_ENV = 'CHROMIUM_PATH';
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The chromium binary to drive, or an error that says how to install one (the tests fail on it rather than skip). */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  const given = env[CHROMIUM_PATH_ENV];
  if (given) {
    if (!existsSync(given)) throw new Error(`${CHROMIUM_PATH_ENV}=${given}: no such file; point it at a chromium binary`);
    return given;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found)
    throw new Error(
      `no chromium found (looked at ${CANDIDATES.join(', ')}); install it (apt-get install -y chromium) or set ${CHROMIUM_PATH_ENV}`,
    );
  return found;
}
