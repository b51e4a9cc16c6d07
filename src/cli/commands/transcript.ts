import type { Command } from 'commander';
import { describeAttachment } from '../../core/attachments';
import {
  clientFrom,
  closeClient,
  outputFrom,
  withJsonFlag,
  withStoreFlag,
  withTemporalFlags,
  type StoreFlags,
  type TemporalFlags,
} from '../common';

export function registerTranscript(program: Command): void {
  const command = program.command('transcript <id>').description("print a run's messages, the task first");
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(async (id: string, flags: TemporalFlags & StoreFlags) => {
    const out = outputFrom(flags);
    const client = await clientFrom(flags);
    try {
      let from = 0;
      for (;;) {
        const page = await client.transcript(id, from, 500);
        if (page.messages.length === 0) break;
        if (from === 0 && page.firstRetained > 1) {
          out.note(`(messages 1 to ${page.firstRetained - 1} were dropped when this long run continued as new)`);
        }
        for (const { index, source, content, attachments } of page.messages) {
          out.record({ index, source, content, ...(attachments?.length ? { attachments } : {}) });
          out.line(`${out.dim(`#${index}`)} ${out.bold(out.cyan(source))}`);
          if (content) out.line(content);
          for (const attachment of attachments ?? []) out.line(out.dim(describeAttachment(attachment)));
          out.line();
        }
        from = page.messages.at(-1)!.index + 1;
      }
    } finally {
      await closeClient(client);
    }
  });
}
