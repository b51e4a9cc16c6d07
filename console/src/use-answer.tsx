import { useState } from 'preact/hooks';
import { post } from './api';
import type { HumanAction } from '../../src/core/human';
import type { BudgetFigures } from './wire';

/** The request a form answers. `budget` is a budget request's figures, when the run told them. */
export interface Question {
  runId: string;
  requestId: string;
  kind: string;
  budget?: BudgetFigures | null;
}

/** How each answer is told once sent: "Answer sent: approve." */
const SAID: Partial<Record<HumanAction, string>> = { request_changes: 'request changes', raise: 'raise the limit', stop: 'stop the run' };

/**
 * Sends one answer to a question and keeps what came of it: sent (queued when no worker runs) or
 * refused, with the run's reason. `onSettled` is told either way: what the page shows has changed.
 */
export function useAnswer(question: Question, onSettled?: () => void) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const send = async (action: HumanAction, extra: Record<string, unknown>) => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await post<{ delivery: string }>(`runs/${encodeURIComponent(question.runId)}/answer`, {
        requestId: question.requestId,
        action,
        ...extra,
      });
      const queued = result.delivery === 'queued' ? ' (no worker is running: the run takes it when one starts)' : '';
      setOutcome({ ok: true, message: `Answer sent: ${SAID[action] ?? action}${queued}.` });
    } catch (err) {
      setOutcome({ ok: false, message: `Answer refused: ${(err as Error).message}` });
    } finally {
      setBusy(false);
      onSettled?.();
    }
  };
  const told = outcome ? (
    <p role={outcome.ok ? 'status' : 'alert'} class={outcome.ok ? 'ok' : 'error'}>
      {outcome.message}
    </p>
  ) : null;
  return { busy, send, told };
}
