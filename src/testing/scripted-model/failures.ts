import type { FailureRule } from './script';

/** A failure rule that fired for a call. */
export interface FiredFailure {
  /** Position of the rule in the script's `failures`. */
  ruleIndex: number;
  rule: FailureRule;
  /** Which matching call of this rule it was, from 1. */
  call: number;
  message: string;
}

/**
 * Failure injection: the one stateful part of the scripted server, on purpose, since "fail the
 * first two calls, then answer" is how a test makes a retry happen. Replies stay stateless.
 *
 * Every rule counts every call that matches its `agent` filter, whether or not an earlier rule
 * fired for it, so "every 5th call" means the 5th, 10th, ... call received, whatever else the
 * script injects. The first rule that fires wins.
 */
export class FailureInjector {
  private counts: number[];

  constructor(private readonly rules: readonly FailureRule[]) {
    this.counts = rules.map(() => 0);
  }

  /** Counts one call from `agent` and returns the failure to inject, if any. */
  next(agent: string | null): FiredFailure | null {
    let fired: FiredFailure | null = null;
    this.rules.forEach((rule, ruleIndex) => {
      if (rule.agent !== undefined && rule.agent !== agent) return;
      const call = ++this.counts[ruleIndex]!;
      if (fired === null && fires(rule, call)) {
        fired = { ruleIndex, rule, call, message: rule.message ?? describe(rule, ruleIndex, call, agent) };
      }
    });
    return fired;
  }

  reset(): void {
    this.counts = this.rules.map(() => 0);
  }
}

function fires(rule: FailureRule, call: number): boolean {
  if (rule.firstCalls !== undefined) return call <= rule.firstCalls;
  if (rule.everyNth !== undefined) return call % rule.everyNth === 0;
  return true;
}

function describe(rule: FailureRule, ruleIndex: number, call: number, agent: string | null): string {
  const what =
    rule.status !== undefined
      ? `status ${rule.status}`
      : rule.cutStreamAfter !== undefined
        ? `stream cut after ${rule.cutStreamAfter} pieces`
        : 'dropped connection';
  const who = agent === null ? 'an unnamed agent' : `agent "${agent}"`;
  return `scripted failure from failures[${ruleIndex}] (${what}) on call ${call} from ${who}`;
}
