import type { RunStarter } from '../temporal/run-starter';

/** A run a TeamClient is about to start, as its start hooks see it. */
export interface RunStart {
  /** The id the run will have (its workflow id), known before it starts. */
  readonly runId: string;
  /** The team's name. */
  readonly team: string;
  /** The A2A caller starting it, as its memo will say; null for a start with none (the CLI's, an outer run's). */
  readonly startedBy: RunStarter | null;
}

/** What a hook is told once the start is over: whether the run started. */
export type StartOutcome = (started: boolean) => void;

/**
 * Hears of every run a TeamClient starts, before its workflow is started: `start`, `fork`, and so
 * every front end (JSON-RPC, HTTP+JSON, gRPC, the console) and the CLI, since all of them start
 * through `TeamClient.startWorkflow`. A hook refuses the start by throwing (or rejecting): nothing
 * is started, and the caller gets that error as it is (what the start wrote to the store before,
 * a task's text or a fork's records, stays, as when Temporal refuses a start). A hook may answer
 * a StartOutcome to learn whether the run did start: to count it, or to let a place it held go.
 */
export type StartHook = (start: RunStart) => StartOutcome | void | Promise<StartOutcome | void>;

/** The start hooks of one client, asked in the order they were added. */
export class StartHooks {
  private readonly hooks: StartHook[] = [];

  /** Adds a hook; answers how to remove it again. */
  add(hook: StartHook): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }

  /**
   * Runs `start` between the hooks: each is asked first (one refusing stops the start, and those
   * asked before it hear that nothing started), then each is told how the start went.
   */
  async around<T>(run: RunStart, start: () => Promise<T>): Promise<T> {
    const outcomes: StartOutcome[] = [];
    const tell = (started: boolean) => outcomes.forEach((outcome) => outcome(started));
    let result: T;
    try {
      for (const hook of [...this.hooks]) {
        const outcome = await hook(run);
        if (outcome) outcomes.push(outcome);
      }
      result = await start();
    } catch (err) {
      tell(false);
      throw err;
    }
    tell(true);
    return result;
  }
}
