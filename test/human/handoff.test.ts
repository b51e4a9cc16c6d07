import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';

describe('handoff to the user', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: { agents: { planner: ['Which city should the trip start in? ASK_USER', 'Paris it is.'], booker: ['Booked.'] } },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it("waits for the person's reply, then goes on with it (the run does not end, unlike AutoGen's HandoffTermination)", async () => {
    const trip = team('trip')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('planner', { description: 'Plans.' })
      .agent('booker', { description: 'Books.' })
      .handoff({ phrase: 'ASK_USER' })
      .terminateWhen(maxMessages(5))
      .build();
    const runId = await env.client.start(trip, 'Plan a trip.');
    const request = await nextRequest(env.client, runId);
    expect(request).toMatchObject({
      kind: 'input',
      reason: 'handoff',
      from: 'planner',
      to: 'user',
      prompt: 'Which city should the trip start in?',
    });

    await env.client.answer(runId, { action: 'input', text: 'Paris' });
    const result = await env.client.result(runId);
    expect(result.messages.map((m) => [m.source, m.content, m.turn])).toEqual([
      ['user', 'Plan a trip.', null],
      ['planner', 'Which city should the trip start in? ASK_USER', 0],
      ['user', 'Paris', null],
      ['booker', 'Booked.', 1],
      ['planner', 'Paris it is.', 2],
    ]);
  });
});
