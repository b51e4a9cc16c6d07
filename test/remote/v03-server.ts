import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { AgentCard, Message, TaskArtifactUpdateEvent, TaskStatusUpdateEvent } from 'a2a-sdk-v03';
import {
  DefaultRequestHandler,
  InMemoryTaskStore,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from 'a2a-sdk-v03/server';
import { A2AExpressApp } from 'a2a-sdk-v03/server/express';

/**
 * A remote agent built with the A2A JS SDK 0.3 (protocol v0.3, JSON-RPC at its URL, no
 * streaming), for interop tests: it answers each message with a task that works for a moment and
 * then completes with an artifact, or, when asked to, with a plain message. It records the
 * JSON-RPC methods it was called with and the ids of the messages it was sent.
 */
export interface V03Agent {
  cardUrl: string;
  calls: { method: string; messageId?: string }[];
  close(): Promise<void>;
}

const now = () => new Date().toISOString();

/** Answers "<reply> (to: <the text it was sent>)" after `workMs` of working. */
function executor(reply: string, workMs: number, answerWithMessage: boolean): AgentExecutor {
  return {
    async execute(request: RequestContext, bus: ExecutionEventBus) {
      const { taskId, contextId, userMessage } = request;
      const heard = userMessage.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
      if (answerWithMessage) {
        const message: Message = {
          kind: 'message',
          messageId: `${taskId}-reply`,
          role: 'agent',
          contextId,
          parts: [{ kind: 'text', text: `${reply} (to: ${heard})` }],
        };
        bus.publish(message);
        bus.finished();
        return;
      }
      bus.publish({ kind: 'task', id: taskId, contextId, status: { state: 'submitted', timestamp: now() }, history: [userMessage] });
      const working: TaskStatusUpdateEvent = {
        kind: 'status-update',
        taskId,
        contextId,
        status: { state: 'working', timestamp: now() },
        final: false,
      };
      bus.publish(working);
      await new Promise((resolve) => setTimeout(resolve, workMs));
      const artifact: TaskArtifactUpdateEvent = {
        kind: 'artifact-update',
        taskId,
        contextId,
        artifact: { artifactId: 'answer', parts: [{ kind: 'text', text: `${reply} (to: ${heard})` }] },
      };
      bus.publish(artifact);
      bus.publish({ kind: 'status-update', taskId, contextId, status: { state: 'completed', timestamp: now() }, final: true });
      bus.finished();
    },
    async cancelTask(taskId: string, bus: ExecutionEventBus) {
      bus.publish({ kind: 'status-update', taskId, contextId: '', status: { state: 'canceled', timestamp: now() }, final: true });
      bus.finished();
    },
  };
}

export async function startV03Agent(options: {
  name: string;
  reply: string;
  workMs?: number;
  answerWithMessage?: boolean;
}): Promise<V03Agent> {
  const app = express();
  const calls: V03Agent['calls'] = [];
  app.use(express.json());
  app.use((req, _res, next) => {
    const body = req.body as { method?: string; params?: { message?: { messageId?: string } } } | undefined;
    if (req.method === 'POST' && body?.method)
      calls.push({ method: body.method, ...(body.params?.message?.messageId ? { messageId: body.params.message.messageId } : {}) });
    next();
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const card: AgentCard = {
    name: options.name,
    description: `A v0.3 agent that answers "${options.reply}".`,
    url,
    protocolVersion: '0.3.0',
    preferredTransport: 'JSONRPC',
    version: '0.3.14',
    capabilities: { streaming: false, pushNotifications: false },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'answer', name: 'Answer', description: 'Answers what it is sent.', tags: ['test'] }],
  };
  const handler = new DefaultRequestHandler(
    card,
    new InMemoryTaskStore(),
    executor(options.reply, options.workMs ?? 300, options.answerWithMessage ?? false),
  );
  new A2AExpressApp(handler).setupRoutes(app);
  return {
    cardUrl: `${url}.well-known/agent-card.json`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
