import { textWithAttachments } from '../core/attachments';
import type { RunEvent } from '../core/events';
import type { RunSnapshot } from '../core/state';
import type { Output } from './output';
import { printable, printableLines } from '../core/display-text';

function indent(text: string): string {
  return printableLines(text)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** One event as people read it while following a run; quiet events print nothing. */
export function renderEvent(event: RunEvent, out: Output): void {
  switch (event.type) {
    case 'run_started':
      out.line(out.dim(`run started: team ${event.team}`));
      return;
    case 'turn_started': {
      const how = event.choice.by === 'round_robin' ? '' : ` (chosen by ${event.choice.by.replace('_', ' ')})`;
      out.line(out.dim(`turn ${event.turn + 1}: ${event.speaker} is speaking${how}...`));
      return;
    }
    case 'message': {
      const { message } = event;
      if (message.turn === null) return;
      if (message.toolCalls) {
        for (const call of message.toolCalls) out.line(out.dim(`  ${message.source} calls ${call.name}(${call.arguments})`));
        return;
      }
      if (message.toolResults) {
        for (const r of message.toolResults) out.line(out.dim(`  ${r.name} ${r.isError ? 'failed' : 'returned'}: ${r.content}`));
        return;
      }
      const stop = message.kind === 'stop' ? out.yellow(' [stop]') : '';
      out.line(`${out.bold(out.cyan(`[${message.source}]`))}${stop}`);
      out.line(indent(textWithAttachments(message.content, message.attachments)));
      return;
    }
    case 'turn_interrupted':
      out.line(out.yellow(`turn ${event.turn + 1} interrupted: ${event.reason}`));
      return;
    case 'input_requested': {
      const { request } = event;
      const what = request.kind === 'approval' ? 'a decision' : request.kind === 'budget' ? 'a budget decision' : 'input';
      out.line(out.yellow(`waiting for ${what} from ${request.to} (request ${printable(request.requestId)}):`));
      out.line(indent(request.prompt));
      if (request.deadline) out.line(out.dim(`    deadline: ${new Date(request.deadline).toISOString()}`));
      return;
    }
    case 'input_received': {
      const by = event.timedOut ? 'the deadline' : printable(event.by ?? 'someone');
      out.line(out.dim(`${event.action.replace('_', ' ')} from ${by} (request ${printable(event.requestId)})`));
      return;
    }
    case 'input_withdrawn':
      out.line(out.yellow(`request ${printable(event.requestId)} withdrawn: ${event.reason}`));
      return;
    case 'answer_refused':
      out.line(out.dim(`an answer to ${printable(event.requestId)} was refused: ${event.reason}`));
      return;
    case 'run_finished':
      if (event.status === 'completed') out.line(out.green(`completed: ${event.stop?.reason ?? 'done'}`));
      else if (event.status === 'rejected') out.line(out.red(`rejected: ${event.rejection?.reason ?? 'no reason given'}`));
      else out.line(out.red(`${event.status}${event.error ? `: ${event.error}` : ''}`));
      return;
    case 'status_changed':
      return;
  }
}

/** The `status` command's shape: stable field names, the status in A2A terms. */
export function statusRecord(snapshot: RunSnapshot) {
  return {
    id: snapshot.runId,
    team: snapshot.team,
    status: snapshot.status,
    turns: snapshot.turns,
    stopReason: snapshot.stopReason,
    pendingInput: snapshot.pendingInput,
    rejection: snapshot.rejection,
    error: snapshot.error?.message ?? null,
    messages: snapshot.messageCount,
    usage: snapshot.usage,
    lastSpeaker: snapshot.lastSpeaker,
    ...(snapshot.forkedFrom ? { forkedFrom: snapshot.forkedFrom } : {}),
    ...(snapshot.spend ? { spend: snapshot.spend } : {}),
  };
}
