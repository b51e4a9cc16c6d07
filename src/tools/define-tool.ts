import type { z } from 'zod';

/** What a tool's code is told about the call it serves. */
export interface ToolContext {
  /**
   * `<run>/turn-<n>/<agent>/<round>/<call id>`: the same on every retry of this call and after a
   * worker restart. A tool that changes the outside world (sends mail, charges a card) passes it
   * on (an Idempotency-Key header, a unique column) so a retried call does it once.
   */
  idempotencyKey: string;
  runId: string;
  turn: number;
  agent: string;
  /** The model's id for the call. */
  callId: string;
  /** 1 on the first try, then 2, 3, ... on Temporal's retries. */
  attempt: number;
  /** Aborts when the run is cancelled or the attempt times out: pass it to fetch and the like. */
  signal: AbortSignal;
  /** Tells Temporal the call is alive; calls that may run longer than the heartbeat timeout beat themselves. */
  heartbeat(details?: unknown): void;
}

/** A function the team's LLM agents may call, registered on the worker by name. */
export interface ToolDefinition<Input extends z.ZodType = z.ZodType> {
  /** What the model calls it: letters, digits, "_" or "-", 64 at most. */
  name: string;
  /** What the tool does, for the model. */
  description: string;
  /** The arguments; the model sees it as JSON Schema, and a call's arguments are checked against it. */
  input: Input;
  /**
   * Does the work. A string goes back to the model as it is, anything else as JSON. Throwing a
   * ToolError tells the model what went wrong at once; any other error is retried by Temporal
   * (the tool's retry policy), and told to the model only when the retries are spent.
   */
  run(args: z.output<Input>, context: ToolContext): unknown;
}

/** Declares a tool with its argument type inferred from the schema. */
export function defineTool<Input extends z.ZodType>(tool: ToolDefinition<Input>): ToolDefinition<Input> {
  return tool;
}

/** A failure to tell the model as the call's result, without retrying: bad input, nothing found. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}
