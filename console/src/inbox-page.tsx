import { useEffect, useState } from 'preact/hooks';
import { AnswerForm } from './answer-form';
import { get } from './api';
import { Countdown } from './countdown';
import type { RunRow } from './wire';

/**
 * Every run waiting on a person, with its question and a form to answer it, refreshed every few
 * seconds. A question that stops waiting (answered elsewhere, or the run ended) is not pulled from
 * under the person's hands: it stays, marked, until the page is left; answering it then says why not.
 */
const REFRESH_MS = 5_000;

type Item = RunRow & { gone?: boolean };

/** What each kind of request wants of the person, in the item's heading. */
const WANTED: Record<string, string> = { approval: 'approval', input: 'input', budget: 'budget decision' };

export function InboxPage() {
  const [runs, setRuns] = useState<Item[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asOf, setAsOf] = useState<Date | null>(null);
  const load = () =>
    get<{ runs: RunRow[] }>('inbox')
      .then((r) => {
        const key = (run: RunRow) => `${run.runId}/${run.waiting?.requestId ?? ''}`;
        const now = new Set(r.runs.map(key));
        setRuns((was) => [...r.runs, ...(was ?? []).filter((old) => !now.has(key(old))).map((old) => ({ ...old, gone: true }))]);
        setAsOf(new Date());
        setProblem(null);
      })
      .catch((err: Error) => setProblem(err.message));
  useEffect(() => {
    void load();
    const timer = setInterval(() => document.visibilityState === 'visible' && void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <section aria-labelledby="inbox-heading">
      <h1 tabIndex={-1} id="inbox-heading">
        Inbox
      </h1>
      <p>
        {asOf ? `Runs waiting on a person, as of ${asOf.toLocaleTimeString()}. ` : ''}
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </p>
      {problem ? (
        <p role="alert" class="error">
          {problem}
        </p>
      ) : null}
      {!runs ? (
        <p role="status">Loading the inbox…</p>
      ) : runs.length === 0 ? (
        <p role="status">Nothing waits on a person.</p>
      ) : (
        <ul class="inbox">
          {runs.map((run) => {
            const pending = run.pending;
            const requestId = pending?.requestId ?? run.waiting?.requestId ?? '';
            const kind = pending?.kind ?? run.waiting?.kind ?? 'input';
            return (
              <li key={`${run.runId}/${requestId}`} data-run={run.runId}>
                <article aria-labelledby={`q-${run.runId}`}>
                  <h2 id={`q-${run.runId}`}>
                    <a href={`#/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</a> ({run.team}): {WANTED[kind] ?? 'input'} wanted
                  </h2>
                  <p class="question">{pending?.prompt ?? run.waiting?.prompt}</p>
                  {run.gone ? <p class="hint">No longer waiting as of the last refresh: answered elsewhere, or the run moved on.</p> : null}
                  {pending ? (
                    <p class="deadline">
                      Asked by {pending.from}; deadline: <Countdown deadline={pending.deadline} />
                    </p>
                  ) : null}
                  <AnswerForm question={{ runId: run.runId, requestId, kind, budget: pending?.budget }} onSettled={() => void load()} />
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
