import { StreamResponse, Task } from '@a2a-js/sdk';
import { taskJson, type FileLink, type RunViewInput, type TaskJsonOptions } from '../core/a2a-json';
import type { ChatMessage } from '../core/messages';
import type { InputKind } from '../core/human';
import type { RunReport } from '../client/run-report';
import { withStall } from './stall-json';
import { withFailedAttempts } from './attempts-json';
import type { FailedAttempt } from '../core/failed-attempt';

/** A run report as the A2A mapping reads it. A run started outside A2A has no contextId: its id serves. */
export function viewOfReport(report: RunReport): RunViewInput {
  const snapshot = report.snapshot;
  return {
    runId: report.runId,
    contextId: report.contextId ?? snapshot?.contextId ?? report.runId,
    team: report.team,
    status: report.status,
    updatedAt: report.updatedAt.getTime(),
    messages: report.messages,
    pendingInput: snapshot?.pendingInput ?? (report.waiting ? { ...report.waiting, kind: report.waiting.kind as InputKind } : null),
    stopReason: snapshot?.stopReason ?? null,
    error: snapshot?.error?.message ?? null,
    forkedFrom: snapshot?.forkedFrom ?? report.forkedFrom,
    ...(snapshot?.spend ? { spend: snapshot.spend } : {}),
  };
}

/** What the mapping needs from a front end: who the people are, where it serves files by URL. */
export interface ViewOptions extends Omit<TaskJsonOptions, 'fileLink'> {
  /** The base of the front end's file links (see fileLinkAt); files are inlined without it. */
  filesAt?: string;
  /** The run's failed attempts, for GetTask's `metadata.durableTeams.failedAttempts` (see attempts-json.ts). */
  failedAttempts?: readonly FailedAttempt[];
}

/** Where a front end serves the files of a run's messages: `<filesAt>/<run>/<message>/<n>`. */
export function fileLinkAt(filesAt: string | undefined, runId: string): FileLink | undefined {
  return filesAt === undefined ? undefined : (index, n) => `${filesAt}/${encodeURIComponent(runId)}/${index}/${n}`;
}

export function taskOfReport(report: RunReport, { filesAt, failedAttempts = [], ...options }: ViewOptions = {}): Task {
  const fileLink = fileLinkAt(filesAt, report.runId);
  return Task.fromJSON(
    withFailedAttempts(withStall(taskJson(viewOfReport(report), { ...options, fileLink }), report.stall), failedAttempts),
  );
}

/** The task as it is the moment a run starts: submitted, with the client's message as its history. */
export function submittedTask(runId: string, contextId: string, team: string, task: ChatMessage): Task {
  return Task.fromJSON(
    taskJson({
      runId,
      contextId,
      team,
      status: 'submitted',
      updatedAt: task.at,
      messages: [task],
      pendingInput: null,
      stopReason: null,
      error: null,
    }),
  );
}

/** Wraps JSON in the SDK's StreamResponse (its proto3 JSON form is what the a2a-json mapping writes). */
export function streamResponse(json: Record<string, unknown>): StreamResponse {
  return StreamResponse.fromJSON(json);
}
