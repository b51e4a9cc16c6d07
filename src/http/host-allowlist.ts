/**
 * Which hosts a team may call out to. An entry is a host name (any port), `host:port`, or
 * `*.example.com` (any subdomain). Every outbound URL — a card, a redirect, an interface a card
 * names — is checked, so a card cannot send our calls (and credentials) somewhere else.
 */
export interface HostAllowlist {
  allows(url: URL): boolean;
  /** The entries, for error messages. */
  readonly entries: readonly string[];
}

export function hostAllowlist(entries: readonly string[]): HostAllowlist {
  const rules = entries.map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  return {
    entries: rules,
    allows(url: URL): boolean {
      const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      return rules.some((rule) => {
        if (rule.startsWith('*.')) return host.endsWith(rule.slice(1)) && host.length > rule.length - 1;
        const [ruleHost, rulePort] = rule.startsWith('[') ? [rule.slice(1, rule.indexOf(']')), rule.split(']:')[1]] : rule.split(':');
        return ruleHost === host && (rulePort === undefined || rulePort === port);
      });
    },
  };
}

/** The default allowlist: the hosts (with ports) of the URLs the spec names itself. */
export function allowlistOf(urls: readonly string[]): HostAllowlist {
  return hostAllowlist(urls.map((u) => new URL(u).host));
}
