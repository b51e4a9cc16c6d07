import type { Command } from 'commander';
import { RUN_SEARCH_ATTRIBUTE_NAMES } from '../../temporal/search-attributes';
import { clientFrom, closeClient, outputFrom, withJsonFlag, withTemporalFlags, type TemporalFlags } from '../common';

/**
 * Registers the run search attributes on a Temporal server that was not started by this tool (a
 * cluster, the compose file's): once per namespace, before or after runs exist. Runs started
 * before it list by their memos; runs started after carry the attributes.
 */
export function registerSearchAttributesCommand(program: Command): void {
  const command = program
    .command('search-attributes')
    .description(
      `register the run search attributes (${RUN_SEARCH_ATTRIBUTE_NAMES.join(', ')}) on the namespace; adds only what is missing`,
    );
  withJsonFlag(withTemporalFlags(command)).action(async (flags: TemporalFlags) => {
    const out = outputFrom(flags);
    const client = await clientFrom(flags, { store: false });
    try {
      const added = await client.registerSearchAttributes();
      out.record({ namespace: client.namespace, added, registered: RUN_SEARCH_ATTRIBUTE_NAMES });
      out.line(
        added.length
          ? `registered in namespace "${client.namespace}": ${added.join(', ')}`
          : `namespace "${client.namespace}" already has every run search attribute`,
      );
    } finally {
      await closeClient(client);
    }
  });
}
