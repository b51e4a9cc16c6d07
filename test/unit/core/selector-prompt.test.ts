import {
  DEFAULT_SELECTOR_PROMPT,
  mentionedNames,
  parseSelection,
  renderSelectorPrompt,
  selectorPromptParts,
  selectSpeakerRequest,
  sharedView,
  type RunState,
} from '../../../src/core';
import type { TeamSpec } from '../../../src/spec';
import { newRun, reply, selectorPromptOf, selectorTeam } from './core-helpers';

function stateWith(task: string, ...said: [string, string][]) {
  const { state, recorder } = newRun(selectorTeam({ maxTurns: 50 }), task);
  for (const [speaker, content] of said) recorder.recordReply(speaker, reply(content));
  return state;
}

/** The prompt as the activity renders it: the workflow's parts, the history being what every agent sees. */
const render = (team: TeamSpec, state: RunState, candidates: string[]) =>
  renderSelectorPrompt(selectorPromptParts(team, candidates), sharedView(state.messages));

describe('renderSelectorPrompt', () => {
  const team = selectorTeam({ selector: { prompt: 'R:\n{roles}\nP: {participants} / {participants}\nH:\n{history}' } });

  it('fills {roles} with the candidates, {participants} with their names and {history} with the conversation', () => {
    const state = stateWith('Build a CLI', ['planner', 'Step 1: parse args']);
    expect(render(team, state, ['coder', 'tester'])).toBe(
      'R:\ncoder: Writes the code\ntester: Tests the code\nP: [coder, tester] / [coder, tester]\n' +
        'H:\nuser: Build a CLI\n\nplanner: Step 1: parse args',
    );
  });

  it('leaves placeholder-looking text and $-patterns inside the history alone', () => {
    const state = stateWith('Explain {roles} and {participants}', ['coder', 'use $& and $1 and {history}']);
    const prompt = render(team, state, ['planner', 'tester']);
    expect(prompt).toContain('user: Explain {roles} and {participants}\n\ncoder: use $& and $1 and {history}');
    expect(prompt.match(/planner: Plans the work/g)).toHaveLength(1);
  });

  it('uses the default prompt when the selector sets none', () => {
    const prompt = render(selectorTeam(), stateWith('Build a CLI'), ['planner', 'coder']);
    expect(DEFAULT_SELECTOR_PROMPT).toContain('{roles}');
    expect(prompt).toContain('planner: Plans the work\ncoder: Writes the code\n');
    expect(prompt).toContain('user: Build a CLI');
    expect(prompt).toContain('exactly one name from [planner, coder]');
    expect(prompt).not.toMatch(/\{(roles|participants|history)\}/);
  });

  it("takes the history as given: no tool use is filtered here, that is sharedView's job", () => {
    const parts = { template: '{history}|{roles}|{participants}', roles: 'r', participants: '[p]' };
    expect(renderSelectorPrompt(parts, [])).toBe('|r|[p]');
    expect(
      renderSelectorPrompt(parts, [
        { source: 'a', content: 'x' },
        { source: 'b', content: 'y' },
      ]),
    ).toBe('a: x\n\nb: y|r|[p]');
  });

  it("is the first attempt's only message", () => {
    const state = stateWith('Build a CLI', ['planner', 'Step 1']);
    const request = selectSpeakerRequest(team, state, ['planner', 'coder']);
    expect(request).toMatchObject({ v: 1, runId: 'run-1', turn: 1, attempt: 0 });
    // The workflow sends the parts and the conversation's reference; the activity renders the prompt.
    expect(request.messages).toEqual([]);
    expect(request.prompt).toEqual(selectorPromptParts(team, ['planner', 'coder']));
    expect(request.conversation).toEqual({ runId: 'run-1', count: 2, unstored: state.messages });
    expect(selectorPromptOf(request)).toEqual([{ role: 'user', content: render(team, state, ['planner', 'coder']) }]);
  });

  it('leaves tool use out of the history: the selector sees what every agent sees', () => {
    const { state, recorder } = newRun(selectorTeam({ maxTurns: 50 }), 'Build a CLI');
    recorder.recordToolCalls('coder', {
      ...reply('checking'),
      toolCalls: [{ id: 'c1', name: 'ls', arguments: '{}', route: { kind: 'function' } }],
    });
    recorder.recordToolResults('coder', [{ callId: 'c1', name: 'ls', content: 'SECRET-LISTING', isError: false }]);
    recorder.recordReply('coder', reply('done'));
    const prompt = selectorPromptOf(selectSpeakerRequest(team, state, ['planner', 'tester']))[0]!.content;
    expect(prompt).toContain('H:\nuser: Build a CLI\n\ncoder: done');
    expect(prompt).not.toContain('SECRET-LISTING');
    expect(prompt).not.toContain('checking');
  });
});

describe('mentionedNames: whole-word agent names', () => {
  const names = ['writer', 'code-writer', 'critic', 'qa_bot'];

  it.each([
    ['writer', ['writer']],
    ['code-writer', ['code-writer']],
    ['code-writer should go next', ['code-writer']],
    ['writer, then code-writer.', ['writer', 'code-writer']],
    ['(critic).', ['critic']],
    ['**critic**', ['critic']],
    ['"qa_bot"', ['qa_bot']],
    ['critic critic critic', ['critic']],
    ['rewriter', []],
    ['critics', []],
    ['writer_2', []],
    ['qa_bot-2', []],
    ['nobody', []],
  ])('%j mentions %j', (text, expected) => {
    expect(mentionedNames(text, names)).toEqual(expected);
  });

  it('finds nothing among no names', () => {
    expect(mentionedNames('writer', [])).toEqual([]);
  });
});

describe('parseSelection', () => {
  const all = ['planner', 'coder', 'tester'];

  it('accepts exactly one allowed name', () => {
    expect(parseSelection('I pick coder.', ['coder', 'tester'], all)).toEqual({ speaker: 'coder' });
  });

  it('explains an answer that names nobody', () => {
    expect(parseSelection('the user', ['coder', 'tester'], all)).toEqual({
      feedback: 'Your answer names no team member. Answer with exactly one of: coder, tester.',
    });
  });

  it('explains an answer that names several', () => {
    expect(parseSelection('tester, or maybe coder', ['coder', 'tester'], all)).toEqual({
      feedback: 'Your answer names 2 members (tester, coder). Answer with exactly one of: coder, tester.',
    });
  });

  it('explains an answer that names someone who may not speak next', () => {
    expect(parseSelection('planner', ['coder', 'tester'], all)).toEqual({
      feedback: 'planner may not speak next. Answer with exactly one of: coder, tester.',
    });
  });
});
