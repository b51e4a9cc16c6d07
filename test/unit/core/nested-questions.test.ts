import { nestedOutcome, nestedQuestionDraft } from '../../../src/core';
import { startedRun, types } from './core-helpers';
import { answer, humanTeam, pendingInput } from './human-helpers';

/** The outer run's copy of a nested run's question: asked, settled, answered. */
describe('a nested run asks through the outer run', () => {
  const innerQuestion = pendingInput({
    requestId: 'req-3',
    kind: 'approval',
    reason: 'final_approval',
    to: 'user',
    prompt: 'Publish?',
    deadline: 90_000,
  });

  it('shows the same question, with the same kind and the inner deadline, and where to send the answer', () => {
    const { recorder, state } = startedRun(humanTeam());
    const request = recorder.requestInput(nestedQuestionDraft('writers', 'outer/turn-1/writers', innerQuestion));
    expect(request).toMatchObject({
      requestId: 'req-1',
      kind: 'approval',
      reason: 'nested_input',
      from: 'writers',
      to: 'user',
      prompt: 'writers (nested team): Publish?',
      deadline: 90_000,
      forward: { runId: 'outer/turn-1/writers', requestId: 'req-3' },
    });
    expect(state.status).toBe('input-required');
  });

  it('an answer passed on leaves the outer run working, whatever it says: the inner run applies it', () => {
    const { recorder, state } = startedRun(humanTeam());
    const request = recorder.requestInput(nestedQuestionDraft('writers', 'inner', innerQuestion));
    recorder.applyAnswer(request, answer(request, { action: 'reject', text: 'no' }), false);
    expect(state.status).toBe('working');
    expect(state.rejection).toBeNull();
    expect(state.pendingInput).toBeNull();
  });

  it('settling in the inner run withdraws the copy, only for that run and request, and not once answered here', () => {
    const { recorder, state } = startedRun(humanTeam());
    const request = recorder.requestInput(nestedQuestionDraft('writers', 'inner', innerQuestion));
    recorder.settleForwarded('another-run', 'req-3', 'answered');
    recorder.settleForwarded('inner', 'req-2', 'answered');
    expect(state.pendingInput).toBe(request);

    request.answered = true;
    recorder.settleForwarded('inner', 'req-3', 'answered (approve)');
    expect(state.pendingInput).toBe(request);

    request.answered = false;
    recorder.settleForwarded('inner', null, 'the nested run ended');
    expect(state.pendingInput).toBeNull();
    expect(state.status).toBe('working');
    expect(types(state.events).slice(-2)).toEqual(['input_withdrawn', 'status_changed']);
    expect(state.events.at(-2)).toMatchObject({ requestId: 'req-1', reason: 'the nested run ended' });
  });

  it("a person's rejection of the inner run rejects the outer run, naming the participant", () => {
    const { recorder, state } = startedRun(humanTeam());
    recorder.rejectWithNested('writers', { reason: 'off topic', by: 'ana' });
    expect(state.status).toBe('rejected');
    expect(state.rejection).toEqual({ reason: 'nested team "writers" was rejected: off topic', by: 'ana' });
  });
});

describe('nestedOutcome', () => {
  const team = humanTeam();
  const end = {
    status: 'completed' as const,
    usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
    error: null,
    rejection: null,
    stopReason: 'max',
  };
  const message = (source: string, content: string, index: number) => ({ index, source, content, kind: 'text' as const, at: 0 });

  it("takes the last agent's message as the answer, never a person's", () => {
    const messages = [message('user', 'task', 0), message('writer', 'draft', 1), message('editor', 'ok', 2)];
    expect(nestedOutcome('writers', team, 'inner', end, messages as never)).toEqual({
      v: 1,
      content: 'draft',
      usage: end.usage,
      model: `team:${team.name}`,
    });
  });

  it('passes a rejection up and throws for any other end, with the inner run named', () => {
    expect(nestedOutcome('writers', team, 'inner', { ...end, status: 'rejected', rejection: { reason: 'no', by: null } }, [])).toEqual({
      v: 1,
      rejected: { reason: 'no', by: null },
    });
    expect(() =>
      nestedOutcome('writers', team, 'inner', { ...end, status: 'failed', error: { message: 'model down', type: null } }, []),
    ).toThrow('nested team "writers" (run inner) ended failed: model down');
  });
});
