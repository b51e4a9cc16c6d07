import type { RunEvent } from './events';

/** A line for the worker's log: a short message and fields, never what anyone said. */
export interface LogLine {
  message: string;
  fields: Record<string, string | number | boolean | null>;
}

/**
 * What an operator reading a worker's log needs of a run's events: which turn, who spoke, how
 * long the message was, what the run waits for and how it ended. Message text, prompts, answers
 * and tool arguments stay out: they may be anything a user typed, secrets included. The run id
 * (the workflow id) comes with every workflow log line from Temporal's logger.
 */
export function logLineOf(event: RunEvent): LogLine | null {
  switch (event.type) {
    case 'run_started':
      return { message: 'run started', fields: { team: event.team } };
    case 'turn_started':
      return { message: 'turn started', fields: { turn: event.turn, speaker: event.speaker, chosenBy: event.choice.by } };
    case 'turn_interrupted':
      return { message: 'turn interrupted', fields: { turn: event.turn, speaker: event.speaker, reason: event.reason } };
    case 'message': {
      const m = event.message;
      const tokens = m.usage ? m.usage.promptTokens + m.usage.completionTokens : null;
      return {
        message: 'message',
        fields: { turn: m.turn, source: m.source, kind: m.kind, chars: m.content.length, tokens, model: m.model ?? null },
      };
    }
    case 'input_requested':
      return {
        message: 'waiting for a person',
        fields: { requestId: event.request.requestId, kind: event.request.kind, reason: event.request.reason, to: event.request.to },
      };
    case 'input_received':
      return { message: 'answer taken', fields: { requestId: event.requestId, action: event.action, timedOut: event.timedOut } };
    case 'input_withdrawn':
      return { message: 'question withdrawn', fields: { requestId: event.requestId } };
    case 'answer_refused':
      return { message: 'answer refused', fields: { requestId: event.requestId } };
    case 'status_changed':
      return { message: 'status changed', fields: { status: event.status, previous: event.previous } };
    case 'run_finished':
      return { message: 'run finished', fields: { status: event.status, stoppedBy: event.stop ? event.stop.conditions.join(',') : null } };
    case 'termination_reset':
      return null;
  }
}
