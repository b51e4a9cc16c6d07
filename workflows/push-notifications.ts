import { viewOfState } from '../src/core/a2a-json';
import { finalAnswerOf } from '../src/core/final-answer';
import { recordOf } from '../src/core/stored-messages';
import type { RunEvent } from '../src/core/events';
import type { RunState } from '../src/core/state';
import { isTerminal } from '../src/core/status';
import type { TeamSpec } from '../src/spec/team';
import { isHuman } from '../src/spec/plain/agent-kinds';
import type { PushDelivery } from '../activities/push';
import { abandonedChildren } from './abandoned-children';
import { deliverPushNotification } from './deliver-push';

/**
 * Tells every A2A push-notification config of the run about each change of state. As with the
 * team's webhook, each notification is an abandoned child workflow whose id is its idempotency
 * key (run, config, event number): retried for days, never sent twice by a replay, and never
 * holding the run up. The body is an A2A v1.0 StreamResponse: a status update while the task
 * lives, the whole task (with its final-answer artifact) when it ends. The delivery names the
 * answer by its record; the activity reads its text from the store, so no notification copies
 * what was said into history.
 */
export function pushNotifier(team: TeamSpec, state: RunState) {
  const people = new Set(team.agents.filter(isHuman).map((a) => a.name));
  const children = abandonedChildren();

  function onEvent(event: RunEvent): void {
    const configs = state.pushConfigs ?? [];
    if (event.type !== 'status_changed' || configs.length === 0) return;
    // The body says no more than the answer (a status message, the final artifact): only its record goes.
    const answer = finalAnswerOf(state.messages, people);
    const view = { ...viewOfState(state), messages: answer ? [recordOf(answer)] : [] };
    const kind = isTerminal(state.status) ? 'task' : 'status';
    for (const config of configs) {
      const key = `${state.runId}/push/${config.id}/${event.seq}`;
      const delivery: PushDelivery = { v: 2, config, idempotencyKey: key, kind, seq: event.seq, view, people: [...people] };
      children.start(deliverPushNotification, `push:${key}`, delivery);
    }
  }

  return { onEvent, flush: children.flush };
}
