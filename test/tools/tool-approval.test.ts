import { maxMessages, team, type TeamSpec, type ToolApprovalSpec } from '../../src/spec';
import { nextRequest } from '../helpers/waiting';
import { toolWorkerForFile } from './tool-fixtures';

const EMAIL = { name: 'send_email', arguments: { to: 'ana@example.com', body: 'Hi' } };
const SCRIPT = { agents: { mailer: [{ toolCalls: [EMAIL] }, 'done as asked'] } };

/** One agent whose email tool waits for a person's approval on every call. */
function mailerTeam(approval: true | ToolApprovalSpec = true): TeamSpec {
  return team('mail')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('mailer', { description: 'Sends mail.', tools: [{ name: 'send_email', approval }], reflectOnToolUse: true })
    .terminateWhen(maxMessages(2))
    .build();
}

describe('tools that need a person’s approval', () => {
  const file = toolWorkerForFile(SCRIPT);
  const { fixtures } = file;

  it('waits for approval before the call; approved, the tool runs once and the run goes on', async () => {
    const runId = await file.env.client.start(mailerTeam(), 'Mail Ana.');
    const request = await nextRequest(file.env.client, runId);
    expect(request).toMatchObject({ kind: 'approval', reason: 'tool_approval', from: 'mailer', to: 'user' });
    expect(request.prompt).toBe('mailer wants to call the tool send_email with {"to":"ana@example.com","body":"Hi"}. Approve the call?');
    expect((await file.env.client.peek(runId)).status).toBe('input-required');
    expect(fixtures.calls).toHaveLength(0);

    await file.env.client.answer(runId, { action: 'approve', by: 'ops' });
    const { snapshot, messages } = await file.env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(fixtures.callsOf('send_email')).toHaveLength(1);
    expect(messages[2]!.toolResults).toMatchObject([
      { callId: 'call_1', name: 'send_email', content: 'sent to ana@example.com', isError: false },
    ]);
    expect(messages.at(-1)!.content).toBe('done as asked');
  });

  it('rejected, the tool never runs, the model is told why, and the run completes (it is not rejected)', async () => {
    const runId = await file.env.client.start(mailerTeam(), 'Mail Ana.');
    await nextRequest(file.env.client, runId);
    await file.env.client.answer(runId, { action: 'reject', text: 'not to customers', by: 'ops' });
    const { snapshot, messages } = await file.env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    expect(fixtures.calls).toHaveLength(0);
    const result = messages[2]!.toolResults![0]!;
    expect(result).toEqual({
      callId: 'call_1',
      name: 'send_email',
      content: 'the call was not approved by ops: not to customers',
      isError: true,
    });
    const reflection = file.model.requests.filter((r) => r.runId === runId)[1]!.messages as { role: string; content?: string }[];
    expect(reflection.at(-1)).toMatchObject({ role: 'tool', content: result.content });
  });

  it('takes the approval timeout: approved by the deadline, the tool runs', async () => {
    const runId = await file.env.client.start(
      mailerTeam({ prompt: 'Send it?', timeout: { after: '300ms', action: 'approve' } }),
      'Mail Ana.',
    );
    const { snapshot, messages } = await file.env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(fixtures.callsOf('send_email')).toHaveLength(1);
    expect(messages[2]!.toolResults![0]!.isError).toBe(false);
    const { events } = await file.env.client.events(runId);
    expect(events.find((e) => e.type === 'input_requested')).toMatchObject({ request: { prompt: 'Send it?' } });
    expect(events.find((e) => e.type === 'input_received')).toMatchObject({ action: 'approve', by: 'deadline', timedOut: true });
  });
});
