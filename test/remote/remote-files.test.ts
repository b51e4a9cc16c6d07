import { startA2AServer, type A2AServer } from '../../src/server/server';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';

/**
 * Files and data given with a run's task reach a remote A2A member as parts of the message it is
 * sent, as they reach a model: read from the store with the conversation, after the request is
 * checked (a request carried in history has no place for them, and its schema would drop them).
 * The remote is our own team behind its A2A front end, so what it received is its run's task.
 */
describe('a remote A2A member is sent the files and data of the conversation', () => {
  let remoteModel: ScriptedModelServer;
  let callerModel: ScriptedModelServer;
  let remoteWorker: TestWorker;
  let caller: TestWorker;
  let front: A2AServer;

  const remoteTeam = team('reader')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('reader', { description: 'Reads what it is sent.' })
    .terminateWhen(maxMessages(2))
    .build();

  beforeAll(async () => {
    remoteModel = await startScriptedModelServer({ script: { agents: { reader: ['read it'] } } });
    callerModel = await startScriptedModelServer({ script: { agents: {} } });
    remoteWorker = await startTestWorker({ model: { baseUrl: remoteModel.baseUrl } });
    front = await startA2AServer({
      teams: [remoteTeam],
      client: remoteWorker.client,
      port: 0,
      version: 'test',
      tokens: null,
      secrets: null,
    });
    caller = await startTestWorker({ model: { baseUrl: callerModel.baseUrl } });
  });
  afterAll(async () => {
    await caller?.stop();
    await front?.close();
    await remoteWorker?.stop();
    await remoteModel?.close();
    await callerModel?.close();
  });

  it("sends the task's file and data as parts, which the remote run keeps with its task", async () => {
    const callerTeam = team('sender')
      .roundRobin()
      .remote('reader', {
        description: 'The reading team, over A2A.',
        card: `${front.listenUrl}/teams/reader/.well-known/agent-card.json`,
        pollInterval: '100ms',
      })
      .terminateWhen(maxMessages(2))
      .build();
    const file = { kind: 'file' as const, mediaType: 'text/plain', name: 'notes.txt', bytes: Buffer.from('the notes').toString('base64') };
    const data = { kind: 'data' as const, data: { ticket: 42 } };
    const runId = await caller.client.start(callerTeam, 'Read the notes.', { attachments: [file, data] });
    const { snapshot, messages } = await caller.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.at(-1)).toMatchObject({ source: 'reader', content: 'read it' });

    const received = await theRunOf(remoteWorker, 'reader');
    const task = (await remoteWorker.client.transcript(received)).messages[0]!;
    expect(task.content).toContain('Read the notes.');
    expect(task.attachments).toEqual([
      expect.objectContaining({ kind: 'file', mediaType: 'text/plain', name: 'notes.txt', bytes: file.bytes }),
      data,
    ]);
  });
});

/** The run of `teamName` on this worker's server, once visibility lists it. */
async function theRunOf(worker: TestWorker, teamName: string): Promise<string> {
  for (let tries = 0; tries < 50; tries++) {
    const run = (await worker.client.list(100)).find((r) => r.team === teamName);
    if (run) return run.runId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no run of team ${teamName} is listed`);
}
