import type { Command } from 'commander';
import { clientFrom, outputFrom, withJsonFlag, withTemporalFlags, type TemporalFlags } from '../common';
import { statusRecord } from '../render';

export function registerStatus(program: Command): void {
  const command = program.command('status <id>').description("show a run's status, turns and stop reason");
  withJsonFlag(withTemporalFlags(command)).action(async (id: string, flags: TemporalFlags) => {
    const out = outputFrom(flags);
    const client = await clientFrom(flags);
    const record = statusRecord(await client.getState(id));
    out.record(record);
    out.line(`${out.bold(record.id)}  team ${record.team}`);
    out.line(`status:       ${record.status}`);
    out.line(`turns:        ${record.turns} (${record.messages} messages, last speaker ${record.lastSpeaker ?? '-'})`);
    if (record.stopReason) out.line(`stop reason:  ${record.stopReason}`);
    if (record.error) out.line(`error:        ${record.error}`);
    out.line(`tokens:       ${record.usage.promptTokens} prompt, ${record.usage.completionTokens} completion`);
    out.line(`pending input: ${record.pendingInput ?? 'none'}`);
  });
}
