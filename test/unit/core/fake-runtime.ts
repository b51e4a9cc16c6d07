import type {
  AgentTurnRequest,
  HumanAnswer,
  Interrupted,
  PendingInput,
  ModelReply,
  SelectSpeakerRequest,
  TeamRuntime,
} from '../../../src/core';
import { reply } from './core-helpers';

type Answer = ModelReply | Interrupted;

/**
 * A TeamRuntime of plain async functions: agents answer "<name>: turn <n>" unless told otherwise,
 * the selector answers from a script. Every request is recorded as it was sent.
 */
export class FakeRuntime implements TeamRuntime {
  readonly agentRequests: AgentTurnRequest[] = [];
  readonly selectRequests: SelectSpeakerRequest[] = [];
  readonly humanRequests: PendingInput[] = [];
  /** Answers to people's requests, in order; a function sees the request. */
  humanAnswers: (
    | Omit<HumanAnswer, 'requestId'>
    | 'timeout'
    | Interrupted
    | ((request: PendingInput) => Omit<HumanAnswer, 'requestId'> | 'timeout' | Interrupted)
  )[] = [];
  shouldSuspend?: () => boolean;

  constructor(
    private readonly selectorScript: string[] = [],
    private readonly answer: (request: AgentTurnRequest) => Answer | Promise<Answer> = (request) =>
      reply(`${request.agent.name}: turn ${request.turn}`, { promptTokens: 10, completionTokens: 2 }),
  ) {}

  async agentTurn(request: AgentTurnRequest): Promise<Answer> {
    this.agentRequests.push(structuredClone(request));
    return this.answer(request);
  }

  async waitForHuman(request: PendingInput): Promise<HumanAnswer | 'timeout' | Interrupted> {
    this.humanRequests.push(structuredClone(request));
    const next = this.humanAnswers.shift();
    if (next === undefined) throw new Error(`no scripted answer for ${request.requestId}`);
    const answer = typeof next === 'function' ? next(request) : next;
    if (answer === 'timeout' || 'interrupted' in answer) return answer;
    return { ...answer, requestId: request.requestId };
  }

  async selectSpeaker(request: SelectSpeakerRequest): Promise<Answer> {
    this.selectRequests.push(structuredClone(request));
    const content = this.selectorScript.shift();
    if (content === undefined) throw new Error(`selector script exhausted at turn ${request.turn}`);
    return reply(content, { promptTokens: 3, completionTokens: 1 }, 'selector-model');
  }
}
