import { useState } from 'preact/hooks';
import { BudgetForm } from './budget-form';
import { useAnswer, type Question } from './use-answer';

/**
 * Answers one pending request: approve, reject or request changes for an approval; a reply (or
 * reject) for input; raise the limit or stop for a budget (see budget-form.tsx). `onSettled` is
 * told when an answer was sent or refused. A refused answer (already answered, a stale request)
 * shows the run's reason.
 */
export function AnswerForm({ question, onSettled }: { question: Question; onSettled?: () => void }) {
  if (question.kind === 'budget') return <BudgetForm question={question} onSettled={onSettled} />;
  return <TextAnswerForm question={question} onSettled={onSettled} />;
}

function TextAnswerForm({ question, onSettled }: { question: Question; onSettled?: () => void }) {
  const [text, setText] = useState('');
  const { busy, send, told } = useAnswer(question, onSettled);
  const id = `answer-${question.runId}-${question.requestId}`;
  const approval = question.kind === 'approval';
  return (
    <form class="answer" onSubmit={(e) => e.preventDefault()} aria-label={`Answer for run ${question.runId}`}>
      <label for={id}>{approval ? 'Comment or requested changes' : 'Your reply'}</label>
      <textarea id={id} rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <div class="actions">
        {approval ? (
          <>
            <button type="button" disabled={busy} onClick={() => send('approve', { text })}>
              Approve
            </button>
            <button type="button" disabled={busy} onClick={() => send('request_changes', { text })}>
              Request changes
            </button>
          </>
        ) : (
          <button type="button" disabled={busy} onClick={() => send('input', { text })}>
            Send reply
          </button>
        )}
        <button type="button" class="danger" disabled={busy} onClick={() => send('reject', { text })}>
          Reject
        </button>
      </div>
      {told}
    </form>
  );
}
