import type { Command } from 'commander';
import { NoWorkerError } from '../../temporal/errors';
import { clientFrom, outputFrom, withJsonFlag, withTemporalFlags, type TemporalFlags } from '../common';
import { statusRecord } from '../render';

type StatusRecord = Omit<ReturnType<typeof statusRecord>, 'turns' | 'messages' | 'usage' | 'team'> & {
  team: string | null;
  turns: number | null;
  messages: number | null;
  usage: { promptTokens: number; completionTokens: number } | null;
};

export function registerStatus(program: Command): void {
  const command = program.command('status <id>').description("show a run's status, turns and stop reason");
  withJsonFlag(withTemporalFlags(command)).action(async (id: string, flags: TemporalFlags) => {
    const out = outputFrom(flags);
    const client = await clientFrom(flags);
    let record: StatusRecord;
    try {
      record = statusRecord(await client.getState(id));
    } catch (err) {
      if (!(err instanceof NoWorkerError)) throw err;
      // The run is safe in Temporal; only its details need a worker. Say what is known.
      out.note(out.yellow(err.message));
      const status = err.neverStarted ? 'submitted' : 'working';
      record = { id, team: err.team, status, turns: null, stopReason: null, pendingInput: null, error: null, messages: null, usage: null, lastSpeaker: null };
    }
    out.record(record);
    out.line(`${out.bold(record.id)}  team ${record.team ?? '?'}`);
    out.line(`status:        ${record.status}`);
    if (record.turns !== null) out.line(`turns:         ${record.turns} (${record.messages} messages, last speaker ${record.lastSpeaker ?? '-'})`);
    if (record.stopReason) out.line(`stop reason:   ${record.stopReason}`);
    if (record.error) out.line(`error:         ${record.error}`);
    if (record.usage) out.line(`tokens:        ${record.usage.promptTokens} prompt, ${record.usage.completionTokens} completion`);
    out.line(`pending input: ${record.pendingInput ?? 'none'}`);
  });
}
