import { useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { age, STATUS_LABEL } from './format';
import type { RunRow } from './wire';

interface Filter {
  status: string;
  waiting: boolean;
  q: string;
  offset: number;
}

const STATUSES = ['submitted', 'working', 'input-required', 'auth-required', 'completed', 'failed', 'canceled', 'rejected'];
const REFRESH_MS = 5_000;

/** Every run of the served teams, newest first, a page at a time, refreshed while the page is shown. */
export function RunsPage() {
  const [filter, setFilter] = useState<Filter>({ status: '', waiting: false, q: '', offset: 0 });
  const [draft, setDraft] = useState(filter);
  const [page, setPage] = useState<{ runs: RunRow[]; more: boolean } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const params = new URLSearchParams({ offset: String(filter.offset) });
    if (filter.status) params.set('status', filter.status);
    if (filter.waiting) params.set('waiting', '1');
    if (filter.q) params.set('q', filter.q);
    const load = () =>
      get<{ runs: RunRow[]; more: boolean }>(`runs?${params}`)
        .then((p) => {
          if (stopped) return;
          setPage(p);
          setProblem(null);
        })
        .catch((err: Error) => !stopped && setProblem(err.message));
    void load();
    const timer = setInterval(() => document.visibilityState === 'visible' && void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [filter]);

  return (
    <section aria-labelledby="runs-heading">
      <h1 tabIndex={-1} id="runs-heading">
        Runs
      </h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ ...draft, offset: 0 });
        }}
      >
        <div>
          <label for="status">Status</label>
          <select id="status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value })}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option value={s} key={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="check">
          <input
            id="waiting"
            type="checkbox"
            checked={draft.waiting}
            onChange={(e) => setDraft({ ...draft, waiting: e.currentTarget.checked })}
          />
          <label for="waiting">Waiting on a person</label>
        </div>
        <div>
          <label for="search">Run id or context id</label>
          <input id="search" type="search" value={draft.q} onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })} />
        </div>
        <button type="submit">Show runs</button>
      </form>
      {problem ? (
        <p role="alert" class="error">
          {problem}
        </p>
      ) : null}
      {!page ? (
        <p role="status">Loading runs…</p>
      ) : page.runs.length === 0 ? (
        <p role="status">No runs match.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Team</th>
              <th scope="col">Status</th>
              <th scope="col">Turns</th>
              <th scope="col">Stop reason</th>
              <th scope="col">Age</th>
            </tr>
          </thead>
          <tbody>
            {page.runs.map((run) => (
              <tr key={run.runId} data-run={run.runId}>
                <td>
                  <a href={`#/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</a>
                </td>
                <td>{run.team}</td>
                <td>
                  <span class={`status status-${run.status}`}>{STATUS_LABEL[run.status] ?? run.status}</span>
                </td>
                <td>{run.turns ?? '–'}</td>
                <td>{run.stopReason ?? ''}</td>
                <td>{age(run.startedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="paging" aria-label="Pages of runs">
        <button
          type="button"
          disabled={filter.offset === 0}
          onClick={() => setFilter({ ...filter, offset: Math.max(0, filter.offset - 25) })}
        >
          Newer runs
        </button>
        <button type="button" disabled={!page?.more} onClick={() => setFilter({ ...filter, offset: filter.offset + 25 })}>
          Older runs
        </button>
      </nav>
    </section>
  );
}
