import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { quoted } from '../core/display-text';
import { hostAllowlist } from './host-allowlist';
import { classifyAddress } from './address-policy';
import { refusal } from './refusal';

/** The flag and the variable naming the Host names a front end answers besides its own. */
export const ALLOWED_HOSTS_FLAG = '--allowed-hosts';
export const ALLOWED_HOSTS_ENV = 'DURABLE_TEAMS_ALLOWED_HOSTS';

export interface HostCheckOptions {
  /** The address the front end listens on (`--host`). */
  bound: string;
  /** Where clients reach it: its host is always answered. */
  publicUrl: string;
  /** More names to answer (a proxy's), each `host`, `host:port` or `*.example.com`. */
  allowed: readonly string[];
}

/** One entry of the list: `host`, `host:port`, `[v6]:port` or `*.example.com`. */
const HOST_ENTRY = /^(\*\.)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/;

/** The hosts a comma-separated list names; an Error naming the first entry that is none. */
export function parseAllowedHosts(list: string): string[] {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !HOST_ENTRY.test(entry));
  if (bad !== undefined) throw new Error(`${quoted(bad)} is no host name: give host, host:port or *.example.com, comma-separated`);
  return entries;
}

/** A Host header as a browser sends it: a name or an address, and a port. Anything else is no host of ours. */
const HOST_HEADER = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/;

const isLoopbackName = (hostname: string): boolean => {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || (isIP(bare) !== 0 && classifyAddress(bare).class === 'loopback');
};

/**
 * Answers only the Host names the front end is meant to be reached by, which stops DNS rebinding:
 * a page of attacker.example whose name is re-pointed at 127.0.0.1 reaches us with
 * `Host: attacker.example`. Bound to loopback, only loopback names (`localhost`, 127.0.0.0/8,
 * `[::1]`) are answered; bound to all interfaces (0.0.0.0, ::) or another address, any name is,
 * unless a list is given. The public URL's host, and the list, are answered either way.
 */
export function answerOnlyOurHosts(options: HostCheckOptions): RequestHandler | null {
  const loopbackOnly = isLoopbackName(options.bound);
  if (!loopbackOnly && options.allowed.length === 0) return null;
  const listed = hostAllowlist([...options.allowed, new URL(options.publicUrl).host]);
  const answered = (host: string): boolean => {
    if (!HOST_HEADER.test(host)) return false;
    const url = URL.parse(`http://${host}/`);
    return url !== null && (isLoopbackName(url.hostname) || listed.allows(url));
  };
  const names = ['localhost', '127.0.0.0/8', '[::1]', ...listed.entries].join(', ');
  return (req, res, next) => {
    const host = req.headers.host ?? '';
    if (answered(host)) return next();
    const because = `Host ${quoted(host)} is not a name this front end answers (listening on ${options.bound}, it answers ${names})`;
    refusal(res, 403, `${because}; name others, such as a proxy's, with ${ALLOWED_HOSTS_FLAG} or ${ALLOWED_HOSTS_ENV}`);
  };
}
