import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationForm } from './elicitation';
import type { McpCallResult } from './mcp-result';

/** A server's question mid-call, and how its answer goes back. */
export interface McpQuestion {
  form: ElicitationForm;
  reply(result: ElicitResult): void;
}

/** What happened next in a call: it asked a question, or it ended (answered, or broke off). */
export type McpCallEvent =
  { kind: 'asked'; question: McpQuestion } | { kind: 'answered'; result: McpCallResult } | { kind: 'broke'; error: unknown };

/**
 * One `tools/call` in flight, seen as the events it gives: each question the server asks on the
 * way (`elicitation/create`), then its end. The caller takes them one at a time with `next()`,
 * so a call can outlive the activity that sent it while a person is asked (see parked-calls.ts).
 */
export class LiveMcpCall {
  private readonly asked: McpQuestion[] = [];
  /** Questions asked and not answered yet: a server waiting on one asks no other on this call. */
  private unanswered = 0;
  private end: McpCallEvent | null = null;
  private wake: (() => void) | null = null;

  /** Where progress notifications go; changed once the call is parked, whose activity has ended. */
  onProgress: ((line: string) => void) | null = null;

  /** The call's answer (or its failure), once sent. */
  follow(result: Promise<McpCallResult>): void {
    result.then(
      (answer) => this.settle({ kind: 'answered', result: answer }),
      (error: unknown) => this.settle({ kind: 'broke', error }),
    );
  }

  /** A question from the server for this call; resolves with the answer given to `reply`. */
  ask(form: ElicitationForm): Promise<ElicitResult> {
    this.unanswered += 1;
    return new Promise((resolve) => {
      let replied = false;
      // Once only: a holder that fails after answering cancels "again", which must change nothing.
      const reply = (result: ElicitResult) => {
        if (replied) return;
        replied = true;
        this.unanswered -= 1;
        resolve(result);
      };
      this.asked.push({ form, reply });
      this.wakeUp();
    });
  }

  /** The next question, or the end: the end first, since a question a server gave up on needs no answer. */
  async next(): Promise<McpCallEvent> {
    for (;;) {
      if (this.end) return this.end;
      const question = this.asked.shift();
      if (question) return { kind: 'asked', question };
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  get ended(): boolean {
    return this.end !== null;
  }

  /** Whether a question asked now can be this call's: it is in flight, and not waiting on an answer already. */
  get canAsk(): boolean {
    return this.end === null && this.unanswered === 0;
  }

  private settle(event: McpCallEvent): void {
    this.end = event;
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/**
 * The calls in flight on one connection, oldest first. MCP does not say which call a question
 * belongs to (no transport's client side carries the link), so a question goes to the oldest call
 * in flight that is not waiting on an answer already (its server, blocked on that one, would not
 * ask another): the right one, unless calls to one server that asks questions run side by side.
 */
export class CallsInFlight {
  private readonly calls: LiveMcpCall[] = [];

  add(call: LiveMcpCall): void {
    this.calls.push(call);
  }

  remove(call: LiveMcpCall): void {
    const at = this.calls.indexOf(call);
    if (at >= 0) this.calls.splice(at, 1);
  }

  /** The call a question asked now belongs to, or null: none is in flight. */
  asker(): LiveMcpCall | null {
    return this.calls.find((call) => call.canAsk) ?? null;
  }
}
