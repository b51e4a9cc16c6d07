import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { maxMessages, team } from '../../src/spec';

/** The deploy tests' teams: one that waits for approval, one mid model call, one long conversation. */
export const approvalTeam = team('waits')
  .roundRobin()
  .model({ model: 'scripted' })
  .agent('writer', { description: 'Writes.' })
  .terminateWhen(maxMessages(2))
  .approval()
  .build();

export const slowTeam = team('slow')
  .roundRobin()
  .model({ model: 'scripted' })
  .agent('slow', { description: 'Thinks long.' })
  .terminateWhen(maxMessages(2))
  .build();

export const longTeam = (messages: number) =>
  team('long')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('ping', { description: 'Says ping.' })
    .agent('pong', { description: 'Says pong.' })
    .terminateWhen(maxMessages(messages))
    .build();

/** Their model: the slow agent's call takes 4 s, so a deploy happens while it is in flight. */
export const VERSIONING_SCRIPT = {
  agents: {
    writer: ['draft'],
    slow: { replies: ['slow answer'], latencyMs: 4_000 },
    ping: { replies: ['ping'], latencyMs: 150 },
    pong: { replies: ['pong'], latencyMs: 150 },
  },
};

/** The build the run's newest execution is on. */
export async function buildOf(raw: Client, runId: string): Promise<string | undefined> {
  const { raw: description } = await raw.workflow.getHandle(runId).describe();
  return description.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId ?? undefined;
}

/**
 * Every execution of the run: the timers it started, and what in it would mean a build got
 * something it could not handle (a failed or timed-out workflow task or activity).
 */
export async function executionsOf(raw: Client, runId: string): Promise<{ timers: number; failures: string[] }[]> {
  const found: { timers: number; failures: string[] }[] = [];
  for await (const execution of raw.workflow.list({ query: `WorkflowId = '${runId}'` })) {
    const events = (await raw.workflow.getHandle(runId, execution.runId).fetchHistory()).events ?? [];
    found.push({
      timers: events.filter((e) => e.timerStartedEventAttributes).length,
      failures: events
        .filter(
          (e) =>
            (e.workflowTaskFailedEventAttributes && !isBenign(e.workflowTaskFailedEventAttributes.cause)) ||
            e.activityTaskFailedEventAttributes ||
            e.activityTaskTimedOutEventAttributes,
        )
        .map((e) => `${execution.runId} event ${e.eventId} ${String(e.eventType)}${causeOf(e.workflowTaskFailedEventAttributes?.cause)}`),
    });
  }
  return found;
}

const { WorkflowTaskFailedCause } = temporal.api.enums.v1;

/**
 * Workflow task failures that are Temporal's protocol, not a build that could not handle the run:
 * a completion (a continue-as-new, say) the server turned back because a signal or an update came
 * in meanwhile, which the worker then completes again with it; a task handed back when a worker
 * stops and lets go of its cached runs.
 */
const isBenign = (cause: number | null | undefined) =>
  cause === WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND ||
  cause === WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE;

/** A failed workflow task's cause, by name, to say why in a test's output. */
const causeOf = (cause: number | null | undefined) => (cause ? ` (${WorkflowTaskFailedCause[cause] ?? cause})` : '');

/** The failures across all of the run's executions. */
export const failuresIn = async (raw: Client, runId: string) => (await executionsOf(raw, runId)).flatMap((e) => e.failures);
