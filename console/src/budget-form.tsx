import { useState } from 'preact/hooks';
import { useAnswer, type Question } from './use-answer';
import type { BudgetFigures } from './wire';

const tokens = (n: number) => `${Math.round(n).toLocaleString('en-US')} tokens`;
const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

/** What the run has spent against each limit it has, and what its next call needs. */
function Figures({ budget }: { budget: BudgetFigures }) {
  return (
    <dl class="facts budget-figures">
      {budget.maxTotalTokens !== null ? (
        <>
          <dt>Tokens</dt>
          <dd>
            {tokens(budget.spentTokens)} spent of {tokens(budget.maxTotalTokens)}; the next call needs ~{tokens(budget.needsTokens)}
          </dd>
        </>
      ) : null}
      {budget.maxCostUsd !== null ? (
        <>
          <dt>Cost</dt>
          <dd>
            {usd(budget.spentUsd)} spent of {usd(budget.maxCostUsd)}; the next call needs ~{usd(budget.needsUsd)}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** A number typed in a field, or undefined when the field is empty (a limit left as it is). */
const amount = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));

/**
 * Answers a budget request: raise the limit (a new total for each limit the budget has) or stop
 * the run. Whether a raise raises is the run's to say: a refusal shows its reason.
 */
export function BudgetForm({ question, onSettled }: { question: Question; onSettled?: () => void }) {
  const [newTokens, setNewTokens] = useState('');
  const [newUsd, setNewUsd] = useState('');
  const { busy, send, told } = useAnswer(question, onSettled);
  const budget = question.budget ?? null;
  // Without the figures (the run could not be asked just now) both limits are offered.
  const hasTokens = !budget || budget.maxTotalTokens !== null;
  const hasUsd = !budget || budget.maxCostUsd !== null;
  const id = `budget-${question.runId}-${question.requestId}`;
  const raise = () => {
    const limits = { maxTotalTokens: hasTokens ? amount(newTokens) : undefined, maxCostUsd: hasUsd ? amount(newUsd) : undefined };
    void send('raise', { raise: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) });
  };
  return (
    <form class="answer" onSubmit={(e) => e.preventDefault()} aria-label={`Budget decision for run ${question.runId}`}>
      {budget ? <Figures budget={budget} /> : null}
      {hasTokens ? (
        <>
          <label for={`${id}-tokens`}>New token limit</label>
          <input
            id={`${id}-tokens`}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={newTokens}
            onInput={(e) => setNewTokens(e.currentTarget.value)}
          />
        </>
      ) : null}
      {hasUsd ? (
        <>
          <label for={`${id}-usd`}>New cost limit (USD)</label>
          <input
            id={`${id}-usd`}
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            value={newUsd}
            onInput={(e) => setNewUsd(e.currentTarget.value)}
          />
        </>
      ) : null}
      <p class="hint">A new limit is the run's new total, above the one it has.</p>
      <div class="actions">
        <button type="button" disabled={busy} onClick={raise}>
          Raise the limit
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => send('stop', {})}>
          Stop the run
        </button>
      </div>
      {told}
    </form>
  );
}
