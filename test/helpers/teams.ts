import { join } from 'node:path';
import { loadTeamFile } from '../../src/files/team-file';
import { anyOf, maxMessages, team, textMention } from '../../src/spec';
import type { LlmAgentSpec, RemoteAgentSpec, TeamSpec } from '../../src/spec';

export const ROOT = join(__dirname, '..', '..');
export const exampleTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review.yaml'));

/** Retries fast, so tests of transient failures do not wait a second per attempt. */
export const FAST_RETRY: LlmAgentSpec['retry'] = { initialInterval: '50ms', maximumInterval: '200ms', maximumAttempts: 5 };

/** A three-agent round-robin team that stops on APPROVED from the reviewer or after `maxMsgs` messages. */
export function reviewTeam(
  options: { maxMsgs?: number; retry?: LlmAgentSpec['retry']; timeouts?: LlmAgentSpec['timeouts'] } = {},
): TeamSpec {
  const extra = { ...(options.retry ? { retry: options.retry } : {}), ...(options.timeouts ? { timeouts: options.timeouts } : {}) };
  return team('review')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('researcher', { description: 'Finds facts.', ...extra })
    .agent('writer', { description: 'Writes drafts.', ...extra })
    .agent('reviewer', { description: 'Reviews drafts.', ...extra })
    .terminateWhen(anyOf(textMention('APPROVED', { sources: ['reviewer'] }), maxMessages(options.maxMsgs ?? 12)))
    .build();
}

/** The script that makes reviewTeam finish in six turns. */
export const REVIEW_SCRIPT = {
  agents: {
    researcher: ['fact one', 'fact two'],
    writer: ['draft one', 'draft two'],
    reviewer: ['needs work', 'APPROVED'],
  },
};

/** reviewTeam's turns under REVIEW_SCRIPT, [speaker, content], in order. */
export const REVIEW_TURNS = [
  ['researcher', 'fact one'],
  ['writer', 'draft one'],
  ['reviewer', 'needs work'],
  ['researcher', 'fact two'],
  ['writer', 'draft two'],
  ['reviewer', 'APPROVED'],
];

/**
 * A team calling a team: a scripted editor writes the brief, then `remote` (a remote A2A
 * participant, by default the review team at `card`) answers; three messages in all.
 */
export function callerTeam(
  card: string,
  name = 'caller',
  { name: remoteName = 'reviewers', ...remote }: Partial<RemoteAgentSpec> = {},
): TeamSpec {
  return team(name)
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('editor', { description: 'Writes the brief.' })
    .remote(remoteName, { description: 'A review team, over A2A.', card, pollInterval: '100ms', ...remote })
    .terminateWhen(maxMessages(3))
    .build();
}
