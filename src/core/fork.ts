import { isHuman, isLlm } from '../spec/plain/agent-kinds';
import type { TeamSpec } from '../spec/team';
import { lastWordsOf } from './carry-over';
import type { ChatMessage } from './messages';
import { createRunState, type RunState } from './state';
import { recordOf } from './stored-messages';

/**
 * A fork: a new run that begins with the first part of another run's conversation and goes on
 * from there with the team as edited. `--at-turn N` keeps the task and every message of turns 1
 * to N (whatever came between them too: tool calls, a person's interjection), so the fork's next
 * turn is turn N + 1. `--at-turn 0` keeps the task alone.
 *
 * The kept messages become the fork's own first records in the conversation store, each pointing
 * at the same stored body as the original's (edited ones at new bodies of the fork): the fork
 * reads, shows and prunes like any run, and no text is copied, into the store or into history.
 */

/** Where a fork came from: the run, and the turn it was forked at. */
export interface ForkOrigin {
  run: string;
  turn: number;
}

/** A fork origin read back from a memo (plain JSON), or null when there is none or it is not one. */
export function forkOriginOf(value: unknown): ForkOrigin | null {
  if (!value || typeof value !== 'object') return null;
  const { run, turn } = value as Record<string, unknown>;
  return typeof run === 'string' && typeof turn === 'number' ? { run, turn } : null;
}

/**
 * What the fork's workflow starts from (its input's `fork`): only counts and a few records, no
 * text, so the input stays small however long the original run.
 */
export interface ForkStart {
  from: ForkOrigin;
  /** Messages kept: the fork's own records 0 to count - 1, written before it starts. */
  count: number;
  /** Records (no text) of the newest kept message and of each participant's last words. */
  carried: ChatMessage[];
  lastSpeaker: string | null;
  swarm?: { speaker: string; returnTo: string | null };
}

/**
 * A fork asked for something the run cannot give. The message names the CLI flag and what is
 * wrong (`--at-turn 9: the run has 6 turns`); `detail` is what is wrong alone, for front ends
 * that name their own field (A2A's `forkFrom.turn`).
 */
export class ForkRefusal extends Error {
  override readonly name = 'ForkRefusal';
  constructor(
    readonly flag: string,
    readonly detail: string,
  ) {
    super(`${flag}: ${detail}`);
  }
}

/**
 * How many of the run's messages a fork at turn `atTurn` keeps: every message before the first
 * one of turn `atTurn + 1` (message turns count from 0), or all `messageCount` of them when the
 * fork is at the run's last turn. `messages` are the run's first messages in order, records or whole.
 */
export function keptCount(messages: readonly ChatMessage[], turns: number, messageCount: number, atTurn: number): number {
  if (!Number.isInteger(atTurn) || atTurn < 0) throw new ForkRefusal(`--at-turn ${atTurn}`, `give a whole number of turns, 0 or more`);
  if (atTurn > turns) throw new ForkRefusal(`--at-turn ${atTurn}`, `the run has ${turns} turn${turns === 1 ? '' : 's'}`);
  const next = messages.find((m) => m.turn !== null && m.turn >= atTurn);
  if (next) return next.index;
  if (messages.length >= messageCount) return messageCount;
  // The first message of the next turn is not among those read: the run holds more than it showed.
  throw new ForkRefusal(
    `--at-turn ${atTurn}`,
    `messages ${messages.length} to ${messageCount - 1} of the run could not be read; fork at an earlier turn, or once a worker serves the run`,
  );
}

/** Who speaks next in a swarm after the kept messages: their handoffs replayed as the team loop follows them. */
export function swarmAfter(team: TeamSpec, kept: readonly ChatMessage[]): ForkStart['swarm'] {
  if (team.pattern !== 'swarm') return undefined;
  let swarm: ForkStart['swarm'];
  for (const m of kept) {
    const author = team.agents.find((a) => a.name === m.source);
    if (m.turn !== null && author && isHuman(author) && swarm?.returnTo) swarm = { speaker: swarm.returnTo, returnTo: null };
    const target = m.handoff?.target;
    if (!target) continue;
    if (target === 'user') swarm = { speaker: m.source, returnTo: null };
    else {
      const to = team.agents.find((a) => a.name === target);
      swarm = { speaker: target, returnTo: to && isHuman(to) ? m.source : null };
    }
  }
  return swarm;
}

/** The fork's start from its kept messages (records or whole: only their records are kept). */
export function forkStart(team: TeamSpec, from: ForkOrigin, kept: readonly ChatMessage[]): ForkStart {
  const lastTurn = [...kept].reverse().find((m) => m.turn !== null && (m.kind === 'text' || m.kind === 'stop'));
  const newest = kept.at(-1);
  const lastWords = lastWordsOf(kept);
  const swarm = swarmAfter(team, kept);
  return {
    from,
    count: kept.length,
    carried: kept.filter((m) => m === newest || lastWords.has(m)).map(recordOf),
    lastSpeaker: lastTurn?.source ?? null,
    ...(swarm ? { swarm } : {}),
  };
}

/**
 * The fork's state as its workflow begins: its kept messages on record (storedCount), turn N, the
 * termination conditions fresh and shown none of the kept messages (a fork goes on from turn N
 * as a new round: `timeout` counts from the fork's start, a `textMention` in a kept message does
 * not stop it). `maxTurns` counts the kept turns too, so a fork of a 6-turn team at turn 3 has 3 to go.
 */
export function forkRunState(args: {
  runId: string;
  team: TeamSpec;
  start: ForkStart;
  contextId?: string | null;
  earlier?: number;
  user?: string;
  now: number;
}): RunState {
  const { start } = args;
  const base = createRunState({ ...args, task: '' });
  return {
    ...base,
    messages: start.carried,
    messageCount: start.count,
    storedCount: start.count,
    turn: start.from.turn,
    lastSpeaker: start.lastSpeaker,
    checkedMessages: start.count,
    approvalChecked: start.count,
    roundFirstTurn: 0,
    ...(start.swarm ? { swarm: start.swarm } : {}),
    forkedFrom: start.from,
  };
}

/** An agent edit of a fork (`--agent NAME.model=M`). */
export interface AgentEdit {
  agent: string;
  field: 'model';
  value: string;
}

/** The team with the edits applied; an unknown agent, or one with no model to change, is refused by name. */
export function editedTeam(team: TeamSpec, edits: readonly AgentEdit[]): TeamSpec {
  let agents = team.agents;
  for (const edit of edits) {
    const agent = agents.find((a) => a.name === edit.agent);
    const names = agents.map((a) => a.name).join(', ');
    if (!agent)
      throw new ForkRefusal(`--agent ${edit.agent}.${edit.field}`, `team "${team.name}" has no agent "${edit.agent}" (it has ${names})`);
    if (!isLlm(agent)) {
      throw new ForkRefusal(`--agent ${edit.agent}.${edit.field}`, `agent "${edit.agent}" is a ${agent.kind} agent, which has no model`);
    }
    agents = agents.map((a) => (a === agent ? { ...agent, model: edit.value } : a));
  }
  return { ...team, agents };
}

/** `NAME.model=M` as an edit; anything else is refused naming what was given. */
export function parseAgentEdit(text: string): AgentEdit {
  const match = /^([^.=]+)\.([A-Za-z]+)=(.+)$/s.exec(text);
  if (!match) throw new ForkRefusal(`--agent ${text}`, `write NAME.model=MODEL`);
  const [, agent, field, value] = match;
  if (field !== 'model') throw new ForkRefusal(`--agent ${text}`, `only an agent's model can be changed (NAME.model=MODEL)`);
  return { agent: agent!, field, value: value! };
}
