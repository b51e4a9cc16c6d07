import { isLlm } from '../spec/plain/agent-kinds';
import type { TeamSpec } from '../spec/team';
import type { RunEvent, RunEventBody, SpeakerChoice } from './events';
import { addUsage, type ChatMessage, type TokenUsage, type ToolResult } from './messages';
import type { ModelReply } from './activity-contract';
import { deadlineOf, type InputDraft } from './human-requests';
import type { HumanAnswer, PendingInput } from './human';
import type { RunError, RunState } from './state';
import { isTerminal, type RunStatus } from './status';
import { checkTermination, initialTerminationState, mentionsExternal, type StopNote } from './termination';
import { toolResultsText } from './stored-messages';

/**
 * How a message refers to text the store already has: by its key when the message says what was
 * stored, or its start (a stop signal or trailing space cut off); text the run changed otherwise
 * is the message's own.
 */
export function storedAs(content: string, stored: { content: string; ref?: string }): Pick<ChatMessage, 'ref' | 'cut'> {
  if (stored.ref === undefined) return {};
  if (content === stored.content) return { ref: stored.ref };
  if (stored.content.startsWith(content)) return { ref: stored.ref, cut: content.length };
  return {};
}

/**
 * The one place a run's state changes. Every change appends its event, so what a follower reads
 * and what the state says never disagree. It mutates the plain state it wraps (the workflow and
 * runLocal each own one) and reads time only from the clock it is given: workflow time in a workflow.
 */
export class RunRecorder {
  constructor(
    readonly team: TeamSpec,
    readonly state: RunState,
    private readonly clock: () => number,
    private readonly onEvent?: (event: RunEvent) => void,
  ) {}

  /** Opens the run: AutoGen checks termination on the task itself, so may a run end before any turn. */
  begin(task: string): void {
    this.emit({ type: 'run_started', team: this.team.name, task });
    this.checkNewMessages();
  }

  /** The first turn is starting: submitted -> working. */
  markWorking(): void {
    if (this.state.status === 'submitted') this.setStatus('working');
  }

  startTurn(choice: SpeakerChoice): void {
    this.markWorking();
    this.emit({ type: 'turn_started', turn: this.state.turn, speaker: choice.speaker, choice });
  }

  /** Records an agent's reply as the next message, then checks termination and maxTurns. */
  recordReply(speaker: string, reply: ModelReply): ChatMessage {
    const agent = this.team.agents.find((a) => a.name === speaker);
    const signal = agent && isLlm(agent) ? agent.stopSignal : undefined;
    const trimmed = reply.content.trimEnd();
    const isStop = signal !== undefined && trimmed.endsWith(signal);
    this.state.usage = addUsage(this.state.usage, reply.usage ?? undefined);
    const content = isStop ? trimmed.slice(0, -signal.length).trimEnd() : reply.content;
    return this.appendMessage(
      {
        source: speaker,
        content,
        ...storedAs(content, reply),
        kind: isStop ? 'stop' : 'text',
        ...(reply.usage ? { usage: reply.usage } : {}),
        model: reply.model,
        ...(reply.handoff ? { handoff: { target: reply.handoff } } : {}),
      },
      true,
    );
  }

  /** The model asked for tool calls: on the record (with the tokens it used) before any runs. */
  recordToolCalls(speaker: string, reply: ModelReply): ChatMessage {
    this.state.usage = addUsage(this.state.usage, reply.usage ?? undefined);
    const toolCalls = (reply.toolCalls ?? []).map(({ id, name, arguments: args }) => ({ id, name, arguments: args }));
    return this.appendMessage(
      {
        source: speaker,
        content: reply.content,
        ...storedAs(reply.content, reply),
        kind: 'tool_call',
        toolCalls,
        ...(reply.usage ? { usage: reply.usage } : {}),
        model: reply.model,
      },
      false,
      this.state.turn,
    );
  }

  /** What the calls gave back, in the order of the calls. */
  recordToolResults(speaker: string, results: ToolResult[]): ChatMessage {
    const content = toolResultsText(results);
    return this.appendMessage({ source: speaker, content, kind: 'tool_result', toolResults: results }, false, this.state.turn);
  }

  /**
   * Adds a message and shows it to the termination conditions. A turn's message (an agent's
   * reply, a human participant's answer) advances the turn count and the speaker order; a
   * person's interjection (a handoff reply, an approval comment) does neither.
   */
  private appendMessage(
    body: Pick<ChatMessage, 'source' | 'content' | 'kind' | 'usage' | 'model' | 'toolCalls' | 'toolResults' | 'handoff' | 'ref' | 'cut'>,
    isTurn: boolean,
    turn: number | null = isTurn ? this.state.turn : null,
  ): ChatMessage {
    const message: ChatMessage = { index: this.state.messageCount, ...body, turn, at: this.clock() };
    this.state.messages.push(message);
    this.state.messageCount += 1;
    if (isTurn) {
      this.state.turn += 1;
      this.state.lastSpeaker = body.source;
    }
    this.emit({ type: 'message', message });
    this.checkNewMessages();
    const { maxTurns } = this.team;
    if (isTurn && !this.state.stop && maxTurns !== undefined && this.state.turn - (this.state.roundFirstTurn ?? 0) >= maxTurns) {
      this.state.stop = { reason: `maximum of ${maxTurns} turns reached`, conditions: ['max_turns'] };
    }
    return message;
  }

  /** Opens a question to a person; the run now waits for them (input-required). */
  requestInput(draft: InputDraft): PendingInput {
    const { timeout, deadline, ...request } = draft;
    this.state.requestsMade += 1;
    const since = this.clock();
    const pending: PendingInput = {
      ...request,
      requestId: `req-${this.state.requestsMade}`,
      since,
      deadline: deadline !== undefined ? deadline : deadlineOf(since, timeout),
      answered: false,
    };
    this.state.pendingInput = pending;
    this.setStatus('input-required');
    this.emit({ type: 'input_requested', request: pending });
    return pending;
  }

  /** An answer that could not be taken (a signal has nobody to refuse it to): on the record, nothing else. */
  refuseAnswer(requestId: string, reason: string): void {
    this.emit({ type: 'answer_refused', requestId, reason });
  }

  /** The request was cut short: the run must stop (a timeout, a stop request) while it waited. */
  withdrawInput(reason: string): void {
    const pending = this.state.pendingInput;
    if (!pending) return;
    this.state.pendingInput = null;
    this.emit({ type: 'input_withdrawn', requestId: pending.requestId, reason });
  }

  /**
   * A nested run's question shown here was settled there (its deadline, an answer given to the
   * inner run directly, its end): ours is withdrawn and the run works on.
   */
  settleForwarded(innerRunId: string, requestId: string | null, reason: string): void {
    const forward = this.state.pendingInput?.forward;
    if (!forward || forward.runId !== innerRunId || (requestId !== null && forward.requestId !== requestId)) return;
    if (this.state.pendingInput!.answered) return;
    this.withdrawInput(reason);
    if (!isTerminal(this.state.status)) this.setStatus('working');
  }

  /** The nested run that was this run's turn was rejected by a person: this run is rejected too. */
  rejectWithNested(agent: string, rejection: { reason: string; by: string | null }): void {
    this.reject(`nested team "${agent}" was rejected: ${rejection.reason}`, rejection.by);
  }

  /** Applies a person's answer, or the deadline's, to the request it answers. */
  applyAnswer(request: PendingInput, answer: HumanAnswer, timedOut: boolean): void {
    this.state.pendingInput = null;
    this.emit({ type: 'input_received', requestId: request.requestId, action: answer.action, by: answer.by ?? null, timedOut });
    if (request.reason === 'tool_approval' || request.reason === 'nested_input' || request.reason === 'budget') {
      // The decision goes to the model as the call's result (or lets the call run), or to the
      // nested run that asked, which applies it, or to the budget (see budget-runtime.ts): this
      // run goes on working either way.
      this.setStatus('working');
      return;
    }
    const text = answer.text?.trim() ?? '';
    // The receiving path stored the answer's trimmed text, which is the message's.
    const stored = answer.ref !== undefined ? storedAs(text, { content: answer.text?.trim() ?? '', ref: answer.ref }) : {};
    const final = request.reason === 'final_approval';
    switch (answer.action) {
      case 'reject':
        this.reject(text || 'rejected without a reason', answer.by ?? null);
        return;
      case 'input':
        this.appendMessage({ source: request.to, content: text, ...stored, kind: 'text' }, request.reason === 'human_turn');
        break;
      case 'request_changes':
        // The team goes another round with the person's comment: the stop is set aside and the
        // conditions start afresh, as AutoGen resets them for a team's next run.
        if (final) this.startNewRound('changes requested');
        this.appendMessage({ source: request.to, content: text, ...stored, kind: 'text' }, false);
        break;
      case 'approve':
        if (text) this.appendMessage({ source: request.to, content: text, ...stored, kind: 'text' }, false);
        if (final) {
          this.complete();
          return;
        }
        break;
    }
    if (!isTerminal(this.state.status)) this.setStatus('working');
  }

  /**
   * Checks a stop request at once, for a run that is waiting on a person (nothing in flight to
   * finish first). During the final approval the request ends the wait: the run completes.
   */
  checkStopRequest(): void {
    const request = this.state.externalStop;
    if (!request) return;
    if (this.state.stop && this.state.pendingInput?.reason === 'final_approval') {
      this.state.stop = { reason: `stopped on request: ${request.reason}`, conditions: ['external'] };
    } else if (!this.state.stop) {
      this.evaluate([], request);
    }
  }

  /** Must a wait for a person end now? Yes once the run is stopping, unless it waits to approve that stop. */
  mustStopWaiting(): boolean {
    const { stop, pendingInput } = this.state;
    return stop !== null && (pendingInput?.reason !== 'final_approval' || stop.conditions.includes('external'));
  }

  /** Does `approval.when` hold on the messages it has not seen? */
  checkApprovalGate(): StopNote | null {
    const when = this.team.approval?.when;
    if (!when || !this.state.approvalGate) return null;
    const fresh = this.state.messages.filter((m) => m.index >= this.state.approvalChecked);
    this.state.approvalChecked = this.state.messageCount;
    if (fresh.length === 0) return null;
    const check = { messages: fresh, elapsedMs: this.elapsedMs(), externalStop: null };
    const held = checkTermination(when, this.state.approvalGate, check);
    // A gate that held starts afresh, or a latched `all` or a count past its limit would ask after every turn.
    if (held) this.state.approvalGate = initialTerminationState(when);
    return held;
  }

  private startNewRound(reason: string): void {
    const spec = this.team.termination;
    this.state.stop = null;
    this.state.termination = spec ? initialTerminationState(spec) : null;
    this.state.checkedMessages = this.state.messageCount;
    this.state.roundStartedAt = this.clock();
    this.state.roundFirstTurn = this.state.turn;
    this.emit({ type: 'termination_reset', reason });
  }

  /** Time the conditions have been counting, for `timeout`. */
  private elapsedMs(): number {
    return this.clock() - (this.state.roundStartedAt ?? this.state.startedAt);
  }

  private reject(reason: string, by: string | null): void {
    this.state.rejection = { reason, by };
    this.finish('rejected', null);
  }

  recordSelectorUsage(usage: TokenUsage | null): void {
    this.state.selectorUsage = addUsage(this.state.selectorUsage, usage ?? undefined);
  }

  /** A step was cut short because the run must stop (a timeout held while it ran). */
  interruptTurn(speaker: string | null): void {
    this.emit({ type: 'turn_interrupted', turn: this.state.turn, speaker, reason: this.state.stop?.reason ?? 'stopped' });
  }

  /** The next model call would go over the run's budget: the run stops, the budget its reason. */
  stopForBudget(reason: string): void {
    if (isTerminal(this.state.status)) return;
    this.state.stop = { reason, conditions: ['budget'] };
  }

  /** Someone asked the run to stop; it does so at the next check, after the turn in flight. */
  requestStop(reason: string): void {
    if (isTerminal(this.state.status) || this.state.externalStop) return;
    this.state.externalStop = { reason, at: this.clock() };
  }

  /**
   * A timer fired: checks the conditions that depend on time alone. True when the run must now
   * stop, in which case the caller interrupts whatever step is in flight.
   */
  tick(): boolean {
    if (this.state.stop || isTerminal(this.state.status)) return false;
    return this.evaluate([], null) !== null;
  }

  complete(): void {
    this.finish('completed', null);
  }

  fail(error: RunError): void {
    // A finished run keeps its outcome: a late failure must not attach an error to it.
    if (isTerminal(this.state.status)) return;
    this.state.error = error;
    this.finish('failed', error.message);
  }

  cancel(): void {
    this.finish('canceled', null);
  }

  private finish(status: RunStatus, error: string | null): void {
    if (isTerminal(this.state.status)) return;
    this.state.pendingInput = null;
    this.setStatus(status);
    this.emit({
      type: 'run_finished',
      status,
      stop: status === 'completed' ? this.state.stop : null,
      error,
      rejection: this.state.rejection,
    });
  }

  /** Shows the conditions the messages they have not seen yet, and any pending stop request. */
  private checkNewMessages(): void {
    const fresh = this.state.messages.filter((m) => m.index >= this.state.checkedMessages);
    this.state.checkedMessages = this.state.messageCount;
    if (!this.state.stop) this.evaluate(fresh, this.state.externalStop);
  }

  private evaluate(messages: ChatMessage[], externalStop: { reason: string } | null): StopNote | null {
    const check = { messages, elapsedMs: this.elapsedMs(), externalStop };
    const spec = this.team.termination;
    let stop = spec && this.state.termination ? checkTermination(spec, this.state.termination, check) : null;
    // With no `external` in the team's conditions, a stop request still stops the run.
    if (!stop && externalStop && !mentionsExternal(spec)) {
      stop = { reason: `stopped on request: ${externalStop.reason}`, conditions: ['external'] };
    }
    if (stop) this.state.stop = stop;
    return stop;
  }

  private setStatus(status: RunStatus): void {
    const previous = this.state.status;
    if (previous === status) return;
    this.state.status = status;
    this.emit({ type: 'status_changed', status, previous });
  }

  private emit(body: RunEventBody): void {
    const at = this.clock();
    const event = { ...body, seq: this.state.nextEventSeq, at } as RunEvent;
    this.state.nextEventSeq += 1;
    this.state.updatedAt = at;
    this.state.events.push(event);
    this.onEvent?.(event);
  }
}
