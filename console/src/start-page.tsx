import { useState } from 'preact/hooks';
import { post } from './api';
import type { Me } from './wire';

/** Starts a run of a served team, then follows it on its own page. */
export function StartPage({ me }: { me: Me }) {
  const [team, setTeam] = useState(me.teams[0]?.name ?? '');
  const [task, setTask] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section aria-labelledby="start-heading">
      <h1 tabIndex={-1} id="start-heading">
        Start a run
      </h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setProblem(null);
          post<{ runId: string }>('runs', { team, task })
            .then(({ runId }) => {
              location.hash = `#/runs/${encodeURIComponent(runId)}`;
            })
            .catch((err: Error) => setProblem(err.message))
            .finally(() => setBusy(false));
        }}
      >
        <label for="team">Team</label>
        <select id="team" value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
          {me.teams.map((t) => (
            <option value={t.name} key={t.name}>
              {t.name} ({t.agents.map((a) => a.name).join(', ')})
            </option>
          ))}
        </select>
        <label for="task">Task</label>
        <textarea id="task" rows={6} required value={task} onInput={(e) => setTask(e.currentTarget.value)} />
        <p class="hint">Say what the team should do, as you would to a colleague.</p>
        <button type="submit" disabled={busy}>
          Start the run
        </button>
        {problem ? (
          <p role="alert" class="error">
            {problem}
          </p>
        ) : null}
      </form>
    </section>
  );
}
