import { textWithAttachments } from './attachments';
import type { ModelSettings } from '../spec/model-settings';
import type { TeamSpec } from '../spec/team';
import type { ConversationEntry, SelectorPromptParts, SelectSpeakerRequest } from './activity-contract';
import { mergeSettings } from './request-builders';
import type { RunState } from './state';
import { conversationRef } from './stored-messages';

export const DEFAULT_SELECTOR_PROMPT = `You decide who speaks next in a team conversation.

Team members who may speak next:
{roles}

Conversation so far:
{history}

Who should speak next? Answer with exactly one name from {participants} and nothing else.`;

/** The prompt's parts that the workflow knows; the history is the activity's to add (see renderSelectorPrompt). */
export function selectorPromptParts(team: TeamSpec, candidates: string[]): SelectorPromptParts {
  const roles = team.agents
    .filter((a) => candidates.includes(a.name))
    .map((a) => `${a.name}: ${a.description}`)
    .join('\n');
  return { template: team.selector?.prompt ?? DEFAULT_SELECTOR_PROMPT, roles, participants: `[${candidates.join(', ')}]` };
}

/** The selection prompt with its placeholders filled in, the history being what every agent sees. */
export function renderSelectorPrompt(parts: SelectorPromptParts, conversation: readonly ConversationEntry[]): string {
  const history = conversation.map((m) => `${m.source}: ${textWithAttachments(m.content, m.attachments)}`).join('\n\n');
  const values: Record<string, string> = { roles: parts.roles, history, participants: parts.participants };
  // One pass, so text inside the history that looks like a placeholder is left alone.
  return parts.template.replace(/\{(roles|history|participants)\}/g, (_, key: string) => values[key]!);
}

/** The first attempt's request; later attempts append the reply and the feedback to `messages`, after the prompt. */
export function selectSpeakerRequest(team: TeamSpec, state: RunState, candidates: string[]): SelectSpeakerRequest {
  // A choice of speaker wants the most likely answer: temperature 0 unless the selector says otherwise.
  const settings = { ...mergeSettings(team.model, selectorModelSettings(team)), temperature: team.selector?.temperature ?? 0 };
  return {
    v: 1,
    runId: state.runId,
    turn: state.turn,
    attempt: 0,
    settings,
    messages: [],
    prompt: selectorPromptParts(team, candidates),
    conversation: conversationRef(state),
  };
}

function selectorModelSettings(team: TeamSpec): ModelSettings {
  const { model, baseUrl, apiKeyEnv, maxTokens } = team.selector ?? {};
  return { model, baseUrl, apiKeyEnv, maxTokens };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The agent names a reply mentions as whole words; "code-writer" does not count as "writer". */
export function mentionedNames(reply: string, names: string[]): string[] {
  if (names.length === 0) return [];
  // Longest first, so an alternation prefers "code-writer" over "writer" at the same position.
  const alternatives = [...names].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![A-Za-z0-9_-])(${alternatives.join('|')})(?![A-Za-z0-9_-])`, 'g');
  return [...new Set([...reply.matchAll(pattern)].map((m) => m[1]!))];
}

export type SelectionParse = { speaker: string } | { feedback: string };

/** Reads a selector reply: exactly one allowed name is an answer; anything else gets feedback for a retry. */
export function parseSelection(reply: string, candidates: string[], allNames: string[]): SelectionParse {
  const mentioned = mentionedNames(reply, allNames);
  const options = candidates.join(', ');
  if (mentioned.length === 1) {
    const [name] = mentioned as [string];
    if (candidates.includes(name)) return { speaker: name };
    return { feedback: `${name} may not speak next. Answer with exactly one of: ${options}.` };
  }
  if (mentioned.length === 0) {
    return { feedback: `Your answer names no team member. Answer with exactly one of: ${options}.` };
  }
  return { feedback: `Your answer names ${mentioned.length} members (${mentioned.join(', ')}). Answer with exactly one of: ${options}.` };
}
