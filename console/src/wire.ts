/** What the console API sends (src/console-api/api.ts), as the page reads it. */
import type { RunEvent } from '../../src/core/events';
import type { BudgetFigures, PendingInput } from '../../src/core/human';
import type { DraftItem } from '../../src/core/live';
import type { RunSnapshot } from '../../src/core/state';
import type { RunStatus } from '../../src/core/status';

export type { RunEvent, PendingInput, BudgetFigures, DraftItem, RunSnapshot, RunStatus };
export type { ChatMessage } from '../../src/core/messages';

export interface ServedTeam {
  name: string;
  agents: { name: string; kind: 'llm' | 'human' | 'a2a' | 'team' }[];
}

export interface Me {
  name: string | null;
  operator: boolean;
  teams: ServedTeam[];
}

export interface RunRow {
  runId: string;
  team: string;
  status: RunStatus;
  contextId: string | null;
  waiting: { requestId: string; kind: string; prompt: string } | null;
  startedAt: string;
  closedAt: string | null;
  turns?: number | null;
  stopReason?: string | null;
  pending?: PendingInput | null;
}

export interface RunSummary {
  runId: string;
  team: string | null;
  status: RunStatus;
  contextId: string | null;
  startedAt: string;
  updatedAt: string;
  snapshot: RunSnapshot | null;
  waiting: RunRow['waiting'];
  stall: { reason?: string } | null;
}

export type FeedLine =
  | { type: 'event'; event: RunEvent }
  | { type: 'live'; item: DraftItem }
  | { type: 'stall'; stall: { reason?: string } | null }
  | { type: 'waiting'; waiting: boolean; detail: string }
  | { type: 'ping' }
  | { type: 'error'; message: string };
