import { useEffect, useRef, useState } from 'preact/hooks';
import { AnswerForm } from './answer-form';
import { get, post, stream } from './api';
import { Countdown } from './countdown';
import { Draft, Message } from './conversation';
import { STATUS_LABEL } from './format';
import type { ChatMessage, FeedLine, Me, RunEvent, RunSnapshot, RunSummary } from './wire';

const TERMINAL = ['completed', 'failed', 'canceled', 'rejected'];
/** Events after which the run's summary (status, usage, pending request) has changed. */
const CHANGES_SUMMARY = new Set([
  'status_changed',
  'input_requested',
  'input_received',
  'input_withdrawn',
  'answer_refused',
  'run_finished',
  'message',
]);

/** The heading over a pending request, by its kind. */
const WAITING_FOR: Record<string, string> = {
  approval: 'Waiting for approval',
  input: 'Waiting for input',
  budget: 'Waiting for a budget decision',
};

/** What a person did, or was asked, told in a line of the conversation: who answered is on the record. */
function noteOf(event: RunEvent): string | null {
  switch (event.type) {
    case 'input_requested':
      return `Asked ${event.request.to} (${event.request.kind}): ${event.request.prompt}`;
    case 'input_received':
      return event.timedOut
        ? `No answer by the deadline: ${event.action.replace('_', ' ')}`
        : `${event.by ?? 'someone'} answered: ${event.action.replace('_', ' ')}`;
    case 'answer_refused':
      return `An answer was refused: ${event.reason}`;
    case 'turn_interrupted':
      return `Turn ${event.turn + 1}${event.speaker ? ` (${event.speaker})` : ''} was interrupted: ${event.reason}`;
    case 'run_finished':
      return `The run ended ${event.status}${event.stop ? `: ${event.stop.reason}` : ''}${event.error ? `: ${event.error}` : ''}`;
    default:
      return null;
  }
}

/** A budgeted run's spend against its limits: "300 of 400 tokens, $0.0000 (on exceed: ask)". */
function spendOf(spend: NonNullable<RunSnapshot['spend']>): string {
  const tokens = `${spend.totalTokens}${spend.budget.maxTotalTokens !== null ? ` of ${spend.budget.maxTotalTokens}` : ''} tokens`;
  const cost = `$${spend.costUsd.toFixed(4)}${spend.budget.maxCostUsd !== null ? ` of $${spend.budget.maxCostUsd}` : ''}`;
  return `${tokens}, ${cost} (on exceed: ${spend.budget.onExceed})`;
}

type Entry = { seq: number; message: ChatMessage; note?: undefined } | { seq: number; note: string; message?: undefined };

interface DraftText {
  agent: string;
  turn: number;
  text: string;
}

/** One run: its conversation as it happens (text being written, then each message as recorded), its request, stop and cancel. */
export function RunPage({ runId, me }: { runId: string; me: Me }) {
  const [summary, setSummary] = useState<RunSummary | null>(null);
  // The conversation in the order its events were recorded: messages, and notes of what people did.
  const [entries, setEntries] = useState<Entry[]>([]);
  const [drafts, setDrafts] = useState<Map<string, DraftText>>(new Map());
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [acting, setActing] = useState<string | null>(null);
  const seen = useRef(0);

  const refresh = () =>
    get<RunSummary>(`runs/${encodeURIComponent(runId)}`)
      .then(setSummary)
      .catch((err: Error) => setProblem(err.message));

  useEffect(() => {
    const stop = new AbortController();
    seen.current = 0;
    setEntries([]);
    setDrafts(new Map());
    void refresh();
    const onLine = (line: FeedLine) => {
      if (line.type === 'event') {
        const { event } = line;
        seen.current = event.seq;
        const note = noteOf(event);
        // The task opens the conversation: the run's first event carries it.
        const task: ChatMessage | null =
          event.type === 'run_started' ? { index: 0, source: 'user', content: event.task, kind: 'text', turn: null, at: event.at } : null;
        const message = event.type === 'message' ? event.message : task;
        if (message || note) {
          const entry: Entry = message ? { seq: event.seq, message } : { seq: event.seq, note: note! };
          setEntries((all) => (all.some((e) => e.seq === entry.seq) ? all : [...all, entry]));
        }
        if (event.type === 'message') {
          const message = event.message;
          setDrafts((all) => new Map([...all].filter(([, d]) => !(d.agent === message.source && d.turn === message.turn))));
        }
        if (event.type === 'run_finished') setDrafts(new Map());
        if (CHANGES_SUMMARY.has(event.type)) void refresh();
      } else if (line.type === 'live') {
        const item = line.item;
        setDrafts((all) => {
          const next = new Map(all);
          if (item.type === 'delta') {
            const was = next.get(item.call);
            next.set(item.call, { agent: item.agent, turn: item.turn, text: (was?.text ?? '') + item.text });
          } else next.delete(item.call);
          return next;
        });
      } else if (line.type === 'waiting') setNotice(line.waiting ? line.detail : null);
      else if (line.type === 'stall')
        setNotice(line.stall ? `The run is stalled: ${line.stall.reason ?? 'its workflow task keeps failing'}` : null);
      else if (line.type === 'error') setProblem(line.message);
    };
    // The stream ends with the run; if it drops before, it is opened again from the last event seen.
    const follow = async () => {
      while (!stop.signal.aborted) {
        try {
          await stream<FeedLine>(`runs/${encodeURIComponent(runId)}/watch?after=${seen.current}`, stop.signal, onLine);
          const now = await get<RunSummary>(`runs/${encodeURIComponent(runId)}`);
          setSummary(now);
          if (TERMINAL.includes(now.status)) return;
        } catch (err) {
          if (stop.signal.aborted) return;
          setProblem((err as Error).message);
          if ((err as { status?: number }).status === 404 || (err as { status?: number }).status === 401) return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    };
    void follow();
    return () => stop.abort();
  }, [runId]);

  const act = (verb: 'stop' | 'cancel') => {
    setActing(verb);
    post(`runs/${encodeURIComponent(runId)}/${verb}`, {})
      .then(() => setNotice(verb === 'stop' ? 'Asked the run to stop after the turn in flight.' : 'The run is being canceled.'))
      .catch((err: Error) => setProblem(err.message))
      .finally(() => setActing(null));
  };

  const snapshot = summary?.snapshot;
  const pending = snapshot?.pendingInput ?? null;
  const team = me.teams.find((t) => t.name === summary?.team);
  const ended = summary ? TERMINAL.includes(summary.status) : false;
  return (
    <section aria-labelledby="run-heading">
      <p>
        <a href="#/runs">← All runs</a>
      </p>
      <h1 tabIndex={-1} id="run-heading">
        Run {runId}
      </h1>
      {problem ? (
        <p role="alert" class="error">
          {problem}
        </p>
      ) : null}
      {notice ? <p role="status">{notice}</p> : null}
      {summary ? (
        <dl class="facts">
          <dt>Team</dt>
          <dd>{summary.team}</dd>
          <dt>Status</dt>
          <dd>
            <span class={`status status-${summary.status}`} id="run-status">
              {STATUS_LABEL[summary.status] ?? summary.status}
            </span>
          </dd>
          <dt>Turns</dt>
          <dd>{snapshot?.turns ?? '–'}</dd>
          <dt>Tokens used</dt>
          <dd>{snapshot ? `${snapshot.usage.promptTokens} prompt, ${snapshot.usage.completionTokens} completion` : '–'}</dd>
          {snapshot?.spend ? (
            <>
              <dt>Budget</dt>
              <dd id="run-spend">{spendOf(snapshot.spend)}</dd>
            </>
          ) : null}
          {snapshot?.stopReason ? (
            <>
              <dt>Stop reason</dt>
              <dd id="stop-reason">{snapshot.stopReason}</dd>
            </>
          ) : null}
          {snapshot?.error ? (
            <>
              <dt>Error</dt>
              <dd>{snapshot.error}</dd>
            </>
          ) : null}
          {summary.contextId ? (
            <>
              <dt>Context</dt>
              <dd>{summary.contextId}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p role="status">Loading the run…</p>
      )}
      {summary && !ended ? (
        <div class="actions">
          <button type="button" disabled={acting !== null} onClick={() => act('stop')}>
            Stop after this turn
          </button>
          <button type="button" class="danger" disabled={acting !== null} onClick={() => act('cancel')}>
            Cancel the run
          </button>
        </div>
      ) : null}
      {pending && !ended ? (
        <section class="pending" aria-labelledby="pending-heading">
          <h2 id="pending-heading">{WAITING_FOR[pending.kind] ?? 'Waiting for input'}</h2>
          <p class="question">{pending.prompt}</p>
          <p>
            Asked by {pending.from} of {pending.to}; deadline: <Countdown deadline={pending.deadline} />
          </p>
          <AnswerForm
            question={{ runId, requestId: pending.requestId, kind: pending.kind, budget: pending.budget }}
            onSettled={() => void refresh()}
          />
        </section>
      ) : null}
      <section aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">Conversation</h2>
        <p class="visually-hidden" role="status">
          {entries.filter((e) => e.message).length} messages
        </p>
        <ol class="conversation">
          {entries.map((e) =>
            e.message ? (
              <Message key={e.seq} message={e.message} team={team} />
            ) : (
              <li class="note" key={e.seq}>
                {e.note}
              </li>
            ),
          )}
          {[...drafts.entries()].map(([call, d]) => (
            <Draft key={call} {...d} />
          ))}
        </ol>
      </section>
    </section>
  );
}
