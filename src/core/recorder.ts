import type { TeamSpec } from '../spec/team';
import type { RunEvent, RunEventBody, SpeakerChoice } from './events';
import { addUsage, type ChatMessage, type TokenUsage } from './messages';
import type { ModelReply } from './requests';
import type { RunError, RunState } from './state';
import { isTerminal, type RunStatus } from './status';
import { checkTermination, mentionsExternal, type StopNote } from './termination';

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
    const signal = agent?.stopSignal;
    const trimmed = reply.content.trimEnd();
    const isStop = signal !== undefined && trimmed.endsWith(signal);
    const message: ChatMessage = {
      index: this.state.messageCount,
      source: speaker,
      content: isStop ? trimmed.slice(0, -signal.length).trimEnd() : reply.content,
      kind: isStop ? 'stop' : 'text',
      turn: this.state.turn,
      ...(reply.usage ? { usage: reply.usage } : {}),
      model: reply.model,
      at: this.clock(),
    };
    this.state.messages.push(message);
    this.state.messageCount += 1;
    this.state.turn += 1;
    this.state.lastSpeaker = speaker;
    this.state.usage = addUsage(this.state.usage, reply.usage ?? undefined);
    this.emit({ type: 'message', message });
    this.checkNewMessages();
    const { maxTurns } = this.team;
    if (!this.state.stop && maxTurns !== undefined && this.state.turn >= maxTurns) {
      this.state.stop = { reason: `maximum of ${maxTurns} turns reached`, conditions: ['max_turns'] };
    }
    return message;
  }

  recordSelectorUsage(usage: TokenUsage | null): void {
    this.state.selectorUsage = addUsage(this.state.selectorUsage, usage ?? undefined);
  }

  /** A step was cut short because the run must stop (a timeout held while it ran). */
  interruptTurn(speaker: string | null): void {
    this.emit({ type: 'turn_interrupted', turn: this.state.turn, speaker, reason: this.state.stop?.reason ?? 'stopped' });
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
    this.setStatus(status);
    this.emit({ type: 'run_finished', status, stop: status === 'completed' ? this.state.stop : null, error });
  }

  /** Shows the conditions the messages they have not seen yet, and any pending stop request. */
  private checkNewMessages(): void {
    const fresh = this.state.messages.filter((m) => m.index >= this.state.checkedMessages);
    this.state.checkedMessages = this.state.messageCount;
    if (!this.state.stop) this.evaluate(fresh, this.state.externalStop);
  }

  private evaluate(messages: ChatMessage[], externalStop: { reason: string } | null): StopNote | null {
    const elapsedMs = this.clock() - this.state.startedAt;
    const check = { messages, elapsedMs, externalStop };
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
