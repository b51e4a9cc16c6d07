import type { RunEvent } from '../core/events';
import type { RunSnapshot } from '../core/state';
import type { Output } from './output';

function indent(text: string): string {
  return text
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
      const stop = message.kind === 'stop' ? out.yellow(' [stop]') : '';
      out.line(`${out.bold(out.cyan(`[${message.source}]`))}${stop}`);
      out.line(indent(message.content));
      return;
    }
    case 'turn_interrupted':
      out.line(out.yellow(`turn ${event.turn + 1} interrupted: ${event.reason}`));
      return;
    case 'run_finished':
      if (event.status === 'completed') out.line(out.green(`completed: ${event.stop?.reason ?? 'done'}`));
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
    pendingInput: null,
    error: snapshot.error?.message ?? null,
    messages: snapshot.messageCount,
    usage: snapshot.usage,
    lastSpeaker: snapshot.lastSpeaker,
  };
}
