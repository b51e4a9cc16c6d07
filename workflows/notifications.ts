import type { RunEvent } from '../src/core/events';
import type { RunState } from '../src/core/state';
import type { TeamSpec } from '../src/spec/team';
import type { NotifyEvent } from '../src/spec/notify';
import type { WebhookDelivery } from '../activities/webhook';
import { abandonedChildren } from './abandoned-children';
import { deliverNotification } from './deliver-notification';

/**
 * Tells the team's webhook when the run starts waiting on a person and when it finishes. Each
 * notification is a child workflow whose id is its idempotency key (the run and the event number),
 * so a replayed or retried start never makes a second one.
 */
export function notifier(team: TeamSpec, state: RunState) {
  const children = abandonedChildren();
  const wanted = new Set<NotifyEvent>(team.notify?.events ?? ['input-required', 'finished']);

  function send(kind: NotifyEvent, event: RunEvent): void {
    const notify = team.notify;
    if (!notify || !wanted.has(kind)) return;
    const key = `${state.runId}/${kind}/${event.seq}`;
    const delivery: WebhookDelivery = {
      v: 1,
      url: notify.webhook,
      tokenEnv: notify.tokenEnv ?? null,
      body: {
        idempotencyKey: key,
        event: kind,
        runId: state.runId,
        team: state.team,
        status: state.status,
        pendingInput: state.pendingInput,
        stopReason: state.rejection ? `rejected: ${state.rejection.reason}` : (state.stop?.reason ?? null),
        error: state.error?.message ?? null,
        at: new Date(event.at).toISOString(),
      },
    };
    children.start(deliverNotification, `notify:${key}`, delivery);
  }

  return {
    onEvent(event: RunEvent): void {
      if (event.type === 'input_requested') send('input-required', event);
      if (event.type === 'run_finished') send('finished', event);
    },
    /** Waits until every notification has been handed to its child workflow. */
    flush: children.flush,
  };
}
