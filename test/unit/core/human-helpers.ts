import type { HumanAnswer, InputDraft, PendingInput, RunState } from '../../../src/core';
import type { HumanAgentSpec, TeamSpec } from '../../../src/spec';
import { roundRobinTeam } from './core-helpers';

export const EDITOR: HumanAgentSpec = { name: 'editor', kind: 'human', description: 'A person who edits' };

/** writer, editor (a person), critic (stopSignal TERMINATE); round robin. */
export function humanTeam(overrides: Partial<TeamSpec> = {}, editor: Partial<HumanAgentSpec> = {}): TeamSpec {
  return roundRobinTeam({
    agents: [
      { name: 'writer', description: 'Writes the draft' },
      { ...EDITOR, ...editor },
      { name: 'critic', description: 'Reviews the draft', stopSignal: 'TERMINATE' },
    ],
    ...overrides,
  });
}

/** A request as the run would have opened it. */
export function pendingInput(overrides: Partial<PendingInput> = {}): PendingInput {
  return {
    requestId: 'req-1',
    kind: 'input',
    reason: 'human_turn',
    from: 'team',
    to: 'editor',
    prompt: 'editor, it is your turn: reply to the team.',
    since: 1_000,
    deadline: null,
    answered: false,
    ...overrides,
  };
}

export function approvalRequest(overrides: Partial<PendingInput> = {}): PendingInput {
  return pendingInput({ kind: 'approval', reason: 'final_approval', from: 'approval', to: 'user', prompt: 'Approve?', ...overrides });
}

export function inputDraft(overrides: Partial<InputDraft> = {}): InputDraft {
  const { requestId: _r, since: _s, deadline: _d, answered: _a, ...draft } = pendingInput();
  return { ...draft, timeout: undefined, ...overrides };
}

/** An answer to `request`. */
export const answer = (request: PendingInput, rest: Omit<HumanAnswer, 'requestId'>): HumanAnswer => ({
  requestId: request.requestId,
  ...rest,
});

/** Who spoke, after the task, with the turn each message counts as (null: not a turn). */
export const transcript = (state: RunState) => state.messages.slice(1).map((m) => [m.source, m.content, m.turn]);
