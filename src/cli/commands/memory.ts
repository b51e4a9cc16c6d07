import { Option, type Command } from 'commander';
import { forgetMemory, listMemory, MemoryScopeError, type ScopeAddress } from '../../memory/memory-admin';
import { memoryStoreOn } from '../../site/default-memory';
import { MemoryUnreadableError, type MemoryStore } from '../../memory/memory-store';
import { cliDataConverter, outputFrom, storeSiteFrom, withJsonFlag, withStoreFlag, type StoreFlags } from '../common';
import { CliError } from '../output';

interface MemoryFlags extends StoreFlags, ScopeAddress {
  json?: boolean;
}

const scopeOptions = (command: Command, scopeRequired: boolean): Command =>
  command
    .requiredOption('--team <name>', 'the team whose memory it is')
    .addOption(
      scopeRequired
        ? new Option('--scope <scope>', 'team, context or user').choices(['team', 'context', 'user']).makeOptionMandatory()
        : new Option('--scope <scope>', 'team, context or user (default: team)').choices(['team', 'context', 'user']),
    )
    .option('--key <key>', 'the context id (context scope) or user key (user scope)');

/** `memory list` and `memory forget`: what agents keep, read and removed per scope. */
export function registerMemory(program: Command): void {
  const memory = program.command('memory').description("list or forget what a team's agents keep in memory (see memory: in the team file)");
  withJsonFlag(
    withStoreFlag(scopeOptions(memory.command('list').description("list a scope's memory entries, newest first"), false)),
  ).action(async (flags: MemoryFlags) => {
    const out = outputFrom(flags);
    const entries = await withMemory(flags, (store) => listMemory(store, flags));
    for (const e of entries) {
      out.record({ id: e.id, scope: e.scope, text: e.text, createdAt: new Date(e.createdAt).toISOString() });
      out.line(`${new Date(e.createdAt).toISOString()}  ${e.id}\n  ${e.text.replace(/\n/g, '\n  ')}`);
    }
    out.note(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`);
  });
  withJsonFlag(withStoreFlag(scopeOptions(memory.command('forget').description("remove every entry of a scope's memory"), true))).action(
    async (flags: MemoryFlags) => {
      const out = outputFrom(flags);
      const count = await withMemory(flags, (store) => forgetMemory(store, flags));
      out.record({ team: flags.team, scope: flags.scope, key: flags.key ?? null, forgotten: count });
      out.line(`forgot ${count} entr${count === 1 ? 'y' : 'ies'}`);
    },
  );
}

/** The memory beside the store --store names, opened now (a bad store stops the command here) and closed after. */
async function withMemory<T>(flags: MemoryFlags, use: (store: MemoryStore) => Promise<T>): Promise<T> {
  const store = memoryStoreOn(await storeSiteFrom(flags).openMemory(), cliDataConverter());
  try {
    return await use(store);
  } catch (err) {
    if (err instanceof MemoryScopeError) throw new CliError(err.message, 2);
    if (err instanceof MemoryUnreadableError) throw new CliError(err.message, 1);
    throw err;
  } finally {
    await store.close().catch(() => undefined);
  }
}
