import {
  agentView,
  applyModelContext,
  checkTermination,
  renderSelectorPrompt,
  sharedView,
  type AgentTurnRequest,
  type ConversationEntry,
  type PromptMessage,
  type SelectSpeakerRequest,
  createRunState,
  initialTerminationState,
  type StopNote,
  RunRecorder,
  type ChatMessage,
  type ModelReply,
  type RunEvent,
  type RunState,
  type TokenUsage,
} from '../../../src/core';
import type { TeamSpec, TerminationSpec } from '../../../src/spec';

/** A message as a termination check sees it; index, turn and time do not matter there. */
export function message(source: string, content: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { index: 0, source, content, kind: 'text', turn: null, at: 0, ...extra };
}

export function reply(content: string, usage: TokenUsage | null = null, model = 'fake-model'): ModelReply {
  return { v: 1, content, usage, model };
}

/** Workflow time that moves only when a test moves it. */
export class FakeClock {
  now = 1_700_000_000_000;
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** writer, critic (stopSignal TERMINATE), editor; round robin. */
export function roundRobinTeam(overrides: Partial<TeamSpec> = {}): TeamSpec {
  return {
    name: 'review',
    pattern: 'round_robin',
    model: { model: 'gpt-4o-mini', temperature: 0.2 },
    agents: [
      { name: 'writer', description: 'Writes the draft', temperature: 0.9 },
      { name: 'critic', description: 'Reviews the draft', stopSignal: 'TERMINATE' },
      { name: 'editor', description: 'Polishes the text', model: 'gpt-4o' },
    ],
    maxTurns: 10,
    ...overrides,
  };
}

/** planner, coder, tester; the selector pattern. */
export function selectorTeam(overrides: Partial<TeamSpec> = {}): TeamSpec {
  return {
    name: 'build',
    pattern: 'selector',
    model: { model: 'gpt-4o-mini' },
    agents: [
      { name: 'planner', description: 'Plans the work' },
      { name: 'coder', description: 'Writes the code' },
      { name: 'tester', description: 'Tests the code' },
    ],
    selector: {},
    maxTurns: 3,
    ...overrides,
  };
}

export interface StartedRun {
  state: RunState;
  recorder: RunRecorder;
  /** What onEvent received. */
  seen: RunEvent[];
  clock: FakeClock;
}

/** A fresh run state and its recorder; begin() is left to the test. */
export function newRun(team: TeamSpec, task = 'task', clock = new FakeClock()): StartedRun {
  const state = createRunState({ runId: 'run-1', team, task, now: clock.now });
  const seen: RunEvent[] = [];
  const recorder = new RunRecorder(team, state, clock.read, (event) => seen.push(event));
  return { state, recorder, seen, clock };
}

/** newRun, then begin() with the same task. */
export function startedRun(team: TeamSpec, task = 'Write a haiku'): StartedRun {
  const run = newRun(team, task);
  run.recorder.begin(task);
  return run;
}

export const types = (events: readonly RunEvent[]): string[] => events.map((e) => e.type);

/** A condition with its memory: each call is one check, seeing only the messages given. */
export function conditionChecker(spec: TerminationSpec) {
  const state = initialTerminationState(spec);
  const check = (
    messages: ChatMessage[],
    { elapsedMs = 0, externalStop = null }: { elapsedMs?: number; externalStop?: { reason: string } | null } = {},
  ): StopNote | null => checkTermination(spec, state, { messages, elapsedMs, externalStop });
  return Object.assign(check, { state });
}

/**
 * The agent's view as its model call sees it: what the activity reads from the store, cut by the
 * agent's model context. The fake runtime stores nothing, so every message rides in `unstored`.
 */
export function viewOf(request: AgentTurnRequest): ConversationEntry[] {
  if (!request.conversation) return request.messages ?? [];
  return applyModelContext(request.context, agentView(request.conversation.unstored, request.agent.name));
}

/** The selector's whole prompt, as the activity renders it, then what followed it (retries' feedback). */
export function selectorPromptOf(request: SelectSpeakerRequest): PromptMessage[] {
  if (!request.conversation || !request.prompt) return request.messages;
  return [{ role: 'user', content: renderSelectorPrompt(request.prompt, sharedView(request.conversation.unstored)) }, ...request.messages];
}
