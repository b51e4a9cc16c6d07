import { followRun } from '../../src/cli/follow-run';
import type { PendingInput } from '../../src/core/human';
import type { TeamSpec } from '../../src/spec/team';
import type { AnswerInput } from '../../src/client/answers';
import type { TeamRunResult } from '../../workflows/definitions';
import type { OfflineStack } from './offline-stack';

/** What a person says to a question of the run; null leaves it open (to the deadline, or to someone else). */
export type Answerer = (request: PendingInput) => AnswerInput | null;

/**
 * Starts a run, prints it turn by turn as `durable-teams run --follow` does, answers the
 * questions it asks a person with `answer` (if given; 'terminal' asks the person at this
 * terminal), and returns its result once it completes; a run that fails, is rejected or canceled
 * throws, saying why.
 */
export async function runAndFollow(
  stack: OfflineStack,
  team: TeamSpec,
  task: string,
  answer?: Answerer | 'terminal',
): Promise<{ runId: string; result: TeamRunResult }> {
  const { client, out } = stack;
  const runId = await client.start(team, task);
  out.note(`started run ${runId}: team ${team.name}, ${team.agents.length} agents, ${team.pattern.replace('_', '-')}`);
  out.line(out.dim(`task: ${task}`));
  const answering = typeof answer === 'function' ? answerQuestions(stack, runId, answer) : Promise.resolve();
  await followRun(client, runId, out, { prompt: answer === 'terminal' });
  await answering;
  return { runId, result: await client.result(runId) };
}

/** Answers each question the run asks, in the order asked, as a person at another terminal would. */
async function answerQuestions(stack: OfflineStack, runId: string, answer: Answerer): Promise<void> {
  for await (const event of stack.client.follow(runId)) {
    if (event.type !== 'input_requested') continue;
    const given = answer(event.request);
    if (!given) continue;
    stack.out.note(`answering ${event.request.requestId} (${event.request.kind}) as a person would: ${given.action} ${given.text ?? ''}`);
    await stack.client.answer(runId, { ...given, requestId: event.request.requestId });
  }
}

/** The final answer's text: the last message of the run. */
export function finalAnswer(result: TeamRunResult): string {
  return result.answer?.content ?? result.messages.at(-1)?.content ?? '';
}
