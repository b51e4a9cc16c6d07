import type { Command } from 'commander';
import { stringify } from 'yaml';
import { fetchAgentCard } from '../../remote/agent-card';
import { discoveredEntries, type Discovered } from '../../remote/discovery';
import { allowlistOf, hostAllowlist } from '../../http/host-allowlist';
import { outputFrom, withJsonFlag } from '../common';

interface DiscoverFlags {
  json?: boolean;
  allowHosts?: string[];
}

export function registerDiscover(program: Command): void {
  const command = program
    .command('discover <card-url...>')
    .description(
      'read remote A2A agent cards (checked as a worker checks them) and print team-file entries: a participant and a tool per skill',
    )
    .option(
      '--allow-hosts <hosts...>',
      'hosts the cards (and their redirects and interfaces) may be on (default: the hosts of the URLs given)',
    );
  withJsonFlag(command).action(async (urls: string[], flags: DiscoverFlags) => {
    const out = outputFrom(flags);
    const allow = flags.allowHosts ? hostAllowlist(flags.allowHosts) : allowlistOf(urls);
    const found: Discovered[] = [];
    for (const url of urls) {
      const card = await fetchAgentCard(url, { allow });
      found.push(discoveredEntries(url, card));
    }
    for (const entry of found) out.record(entry);
    out.line("# Participants (a team's `agents`), one per skill:");
    out.line(stringify({ agents: found.flatMap((f) => f.participants) }).trimEnd());
    out.line();
    out.line('# Or as tools of an LLM agent (its `tools`):');
    out.line(stringify({ tools: found.flatMap((f) => f.tools) }).trimEnd());
  });
}
