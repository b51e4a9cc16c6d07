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
 * Replaces `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `$NAME` and `$$` in
 * one value as Compose does, with `env` as the environment. A default may itself hold variables
 * (`${A:-${B:-x}}`), as Compose allows; it is interpolated only when it is used.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const next = value[i + 1];
    if (value[i] !== '$') {
      out += value[i++];
    } else if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(value, i + 2);
      out += substituted(value.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1))?.[0];
      out += bare === undefined ? '$' : (env[bare] ?? '');
      i += 1 + (bare?.length ?? 0);
    }
  }
  return out;
}

/** The index of the `}` that closes a `${` whose inside starts at `from`. */
function closingBrace(value: string, from: number): number {
  let depth = 1;
  for (let i = from; i < value.length; i++) {
    if (value[i] === '$' && value[i + 1] === '{') {
      depth++;
      i++;
    } else if (value[i] === '}' && --depth === 0) {
      return i;
    }
  }
  throw new Error(`cannot interpolate ${value.slice(from - 2)}: no closing brace`);
}

function substituted(braced: string, env: Record<string, string | undefined>): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])(.*))?$/s.exec(braced);
  if (!match) throw new Error(`cannot interpolate \${${braced}}`);
  const [, name = '', colon, operator, word = ''] = match;
  const current = env[name];
  const missing = current === undefined || (colon === ':' && current === '');
  if (!operator || !missing) return current ?? '';
  if (operator === '?') throw new Error(`${name} is required: ${interpolate(word, env)}`);
  return interpolate(word, env);
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
