import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/teams';

export const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');

/** A service as these tests read it; the Compose schema checks the rest. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  container_name?: string;
  ports?: unknown[];
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  [key: string]: unknown;
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

/**
 * Replaces `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `$NAME` and `$$` in one value as
 * Compose does, with `env` as the environment. Nested defaults are not needed by our file and are
 * refused rather than half-done.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$(?:\$|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    if (bare !== undefined) return env[bare] ?? '';
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])(.*))?$/s.exec(braced!);
    if (!match || match[4]?.includes('$')) throw new Error(`cannot interpolate ${whole}`);
    const [, name = '', colon, operator, word = ''] = match;
    const current = env[name];
    const missing = current === undefined || (colon === ':' && current === '');
    if (!operator || !missing) return current ?? '';
    if (operator === '?') throw new Error(`${name} is required: ${word}`);
    return word;
  });
}

/** Every string in a parsed document interpolated (keys are left alone, as Compose does). */
function interpolateAll(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env)]));
  return node;
}

/**
 * docker-compose.yml as Compose reads it: YAML merge keys resolved, variables interpolated from
 * `env` (by default none set, i.e. a checkout with no .env: every setting at its default).
 */
export function loadComposeFile(env: Record<string, string | undefined> = {}): ComposeProject {
  const raw = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as unknown;
  return interpolateAll(raw, env) as ComposeProject;
}

/** A service's command as the argument list the container's entrypoint receives. */
export function commandOf(service: ComposeService): string[] {
  const { command } = service;
  if (command === undefined) return [];
  if (Array.isArray(command)) return command;
  // The string form is split like a shell would split plain words; ours use the list form.
  if (/["'\\]/.test(command)) throw new Error(`quote the command as a list instead: ${command}`);
  return command.trim().split(/\s+/);
}
