import { MAX_ANSWER_CHARS, refuseAnswer } from '../../../src/core';
import { answer, approvalRequest, pendingInput } from './human-helpers';

describe('refuseAnswer: answers that cannot be taken', () => {
  it('refuses any answer when nothing is pending, naming the status', () => {
    expect(refuseAnswer(null, { requestId: 'req-1', action: 'input', text: 'hi' }, 'working')).toBe(
      'the run is not waiting for input (status: working)',
    );
  });

  it('refuses an answer to another request, naming the pending one', () => {
    expect(refuseAnswer(pendingInput({ requestId: 'req-2' }), { requestId: 'req-1', action: 'input', text: 'hi' }, 'input-required')).toBe(
      'request "req-1" is not pending; the run is waiting on request "req-2"',
    );
  });

  it('refuses a second answer to a request already answered', () => {
    const request = pendingInput({ answered: true });
    expect(refuseAnswer(request, answer(request, { action: 'input', text: 'again' }), 'input-required')).toBe(
      'request "req-1" has already been answered',
    );
  });

  it.each([
    ['approve', 'input, reject'],
    ['request_changes', 'input, reject'],
  ] as const)('refuses %s to an input request, listing what it takes', (action, takes) => {
    const request = pendingInput();
    expect(refuseAnswer(request, answer(request, { action, text: 'x' }), 'input-required')).toBe(
      `request "req-1" asks for input; it takes ${takes}, not ${action}`,
    );
  });

  it('refuses input to an approval, listing the decisions it takes', () => {
    const request = approvalRequest();
    expect(refuseAnswer(request, answer(request, { action: 'input', text: 'x' }), 'input-required')).toBe(
      'request "req-1" asks for a decision; it takes approve, reject, request_changes, not input',
    );
  });

  it.each([undefined, '', '   \n\t'])('refuses empty input (%j)', (text) => {
    const request = pendingInput();
    expect(refuseAnswer(request, answer(request, { action: 'input', text }), 'input-required')).toBe('the answer is empty');
  });

  it.each([undefined, '', '  '])('refuses request_changes that says nothing (%j)', (text) => {
    const request = approvalRequest();
    expect(refuseAnswer(request, answer(request, { action: 'request_changes', text }), 'input-required')).toBe('say what should change');
  });

  it.each([
    ['input', pendingInput()],
    ['reject', pendingInput()],
    ['approve', approvalRequest()],
    ['request_changes', approvalRequest()],
  ] as const)('refuses an oversized %s, naming the size and the limit', (action, request) => {
    const text = 'x'.repeat(MAX_ANSWER_CHARS + 1);
    expect(refuseAnswer(request, answer(request, { action, text }), 'input-required')).toBe(
      `the answer has ${MAX_ANSWER_CHARS + 1} characters; the limit is 65536 (64 KiB)`,
    );
  });

  it('checks the request before the answer: a stale answer is refused for being stale, not for its text', () => {
    const request = pendingInput({ requestId: 'req-3' });
    expect(refuseAnswer(request, { requestId: 'req-1', action: 'approve', text: '' }, 'input-required')).toMatch(/not pending/);
  });
});

describe('refuseAnswer: answers that are taken', () => {
  it('takes input up to the limit exactly', () => {
    const request = pendingInput();
    expect(refuseAnswer(request, answer(request, { action: 'input', text: 'Tighten the intro.' }), 'input-required')).toBeNull();
    expect(refuseAnswer(request, answer(request, { action: 'input', text: 'x'.repeat(MAX_ANSWER_CHARS) }), 'input-required')).toBeNull();
  });

  it('takes a reject with no text, to an input request and to an approval', () => {
    const input = pendingInput();
    const approval = approvalRequest();
    expect(refuseAnswer(input, answer(input, { action: 'reject' }), 'input-required')).toBeNull();
    expect(refuseAnswer(approval, answer(approval, { action: 'reject' }), 'input-required')).toBeNull();
  });

  it('takes an approve with or without a comment', () => {
    const request = approvalRequest({ reason: 'approval_gate' });
    expect(refuseAnswer(request, answer(request, { action: 'approve' }), 'input-required')).toBeNull();
    expect(refuseAnswer(request, answer(request, { action: 'approve', text: '' }), 'input-required')).toBeNull();
    expect(refuseAnswer(request, answer(request, { action: 'approve', text: 'ship it', by: 'bob' }), 'input-required')).toBeNull();
  });

  it('takes request_changes with a comment', () => {
    const request = approvalRequest();
    expect(refuseAnswer(request, answer(request, { action: 'request_changes', text: 'Add a title.' }), 'input-required')).toBeNull();
  });
});
