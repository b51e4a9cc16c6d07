import { z } from 'zod';
import { DEFAULT_REMOTE_POLL_MS, isRemoteWaiting, type ToolCallRequest, type ToolOutcome } from '../src/core/activity-contract';
import type { createRemoteActivities } from './remote';
import { parseInput } from './parse-input';
import { ToolCallRequestSchema } from '../src/contract/call-requests';

const RemoteToolArgs = z.object({ message: z.string().min(1, 'say what to ask') });

type RemoteActivities = ReturnType<typeof createRemoteActivities>;

export function createRemoteToolActivities(remote: RemoteActivities) {
  return {
    /**
     * A model's call of a remote A2A agent (a skill of it) as a tool. It is the remote turn's
     * machinery under this activity's context: the call's idempotency key is the A2A messageId,
     * the remote task id rides in the heartbeat, and a retry follows that task instead of sending
     * again. The remote's answer is the result; a question back from it is passed up to a person,
     * as a remote participant's is, and the answer comes back here for the same task.
     */
    async callRemoteTool(input: ToolCallRequest): Promise<ToolOutcome> {
      const request = parseInput(ToolCallRequestSchema, input, 'callRemoteTool');
      const { call, remote: target } = request;
      if (!target || call.route.kind !== 'a2a') {
        return { v: 1, content: `${call.name} is not a remote A2A tool`, isError: true };
      }
      let args: z.infer<typeof RemoteToolArgs>;
      try {
        const parsed = RemoteToolArgs.safeParse(JSON.parse(call.arguments || '{}'));
        if (!parsed.success)
          return { v: 1, content: `invalid arguments for ${call.name}: message: ${parsed.error.issues[0]!.message}`, isError: true };
        args = parsed.data;
      } catch (err) {
        return {
          v: 1,
          content: `invalid arguments for ${call.name}: not JSON (${(err as Error).message}); send {"message": "..."}`,
          isError: true,
        };
      }
      const reply = await remote.remoteAgentTurn({
        v: 1,
        runId: request.runId,
        turn: request.turn,
        messageId: request.idempotencyKey,
        // One remote conversation per run, agent and tool.
        contextId: `${request.runId}/${request.agent}/${call.name}`,
        agent: {
          name: call.name,
          card: target.card,
          skill: target.skill,
          auth: target.auth,
          allowHosts: target.allowHosts,
          pollIntervalMs: DEFAULT_REMOTE_POLL_MS,
        },
        messages: [{ source: request.agent, content: args.message }],
        ...(request.answer ? { answer: request.answer } : {}),
      });
      if (isRemoteWaiting(reply)) {
        // The run asks a person, then calls again with the answer for this same remote task.
        const { taskId, questionId, prompt, state } = reply;
        return { v: 1, content: '', isError: false, waiting: { taskId, questionId, prompt, state } };
      }
      return { v: 1, content: reply.content, isError: false };
    },
  };
}
