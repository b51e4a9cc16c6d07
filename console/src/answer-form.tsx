import { useState } from 'preact/hooks';
import { post } from './api';
import type { HumanAction } from '../../src/core/human';

interface Question {
  runId: string;
  requestId: string;
  kind: string;
}

/**
 * Answers one pending request: approve, reject or request changes for an approval; a reply (or
 * reject) for input; `onSettled` is told when an answer was sent or refused. A refused answer (already answered, a stale request) shows the run's reason.
 */
export function AnswerForm({ question, onSettled }: { question: Question; onSettled?: () => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const id = `answer-${question.runId}-${question.requestId}`;
  const send = async (action: HumanAction) => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await post<{ delivery: string }>(`runs/${encodeURIComponent(question.runId)}/answer`, {
        requestId: question.requestId,
        action,
        text,
      });
      const queued = result.delivery === 'queued' ? ' (no worker is running: the run takes it when one starts)' : '';
      setOutcome({ ok: true, message: `Answer sent: ${action.replace('_', ' ')}${queued}.` });
    } catch (err) {
      setOutcome({ ok: false, message: `Answer refused: ${(err as Error).message}` });
    } finally {
      setBusy(false);
      onSettled?.(); // answered or refused, what the page shows of the run has changed
    }
  };
  const approval = question.kind === 'approval';
  return (
    <form class="answer" onSubmit={(e) => e.preventDefault()} aria-label={`Answer for run ${question.runId}`}>
      <label for={id}>{approval ? 'Comment or requested changes' : 'Your reply'}</label>
      <textarea id={id} rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <div class="actions">
        {approval ? (
          <>
            <button type="button" disabled={busy} onClick={() => send('approve')}>
              Approve
            </button>
            <button type="button" disabled={busy} onClick={() => send('request_changes')}>
              Request changes
            </button>
          </>
        ) : (
          <button type="button" disabled={busy} onClick={() => send('input')}>
            Send reply
          </button>
        )}
        <button type="button" class="danger" disabled={busy} onClick={() => send('reject')}>
          Reject
        </button>
      </div>
      {outcome ? (
        <p role={outcome.ok ? 'status' : 'alert'} class={outcome.ok ? 'ok' : 'error'}>
          {outcome.message}
        </p>
      ) : null}
    </form>
  );
}
