import { TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { parse as parseDisposition } from 'content-disposition';
import { maxMessages, team } from '../../src/spec';
import type { AgentOutputSpec, TeamSpec } from '../../src/spec';
import { parseTeamSpec } from '../../src/spec/parse';
import { historyText } from '../helpers/history-text';
import { FAST_RETRY } from '../helpers/teams';
import { collect, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

/**
 * An agent's output as structured data (checked against the team file's JSON Schema) or as a
 * file: the task's final-answer artifact carries it as a data or file part.
 */
const SCHEMA = {
  type: 'object',
  properties: { key: { type: 'string' }, count: { type: 'integer' } },
  required: ['key', 'count'],
};

const oneAgent = (name: string, agent: string, output: AgentOutputSpec): TeamSpec =>
  team(name)
    .roundRobin()
    .model({ model: 'scripted' })
    .agent(agent, { description: 'Answers once.', output, retry: FAST_RETRY })
    .terminateWhen(maxMessages(2))
    .build();

const SCRIPT = {
  agents: {
    // Models asked for JSON still fence it now and then: taken all the same.
    extractor: ['```json\n{"key": "value", "count": 42}\n```'],
    // Always a field short: every attempt fails.
    sloppy: ['{"key": "value"}'],
    reporter: ['# Report\n\nAll is well.'],
  },
  onExhausted: 'repeat-last' as const,
};

describe('agent output: data and file artifacts', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv(
      [
        oneAgent('extract', 'extractor', { type: 'json', schema: SCHEMA }),
        oneAgent('report', 'reporter', { type: 'file', name: 'report.md' }),
        oneAgent('sloppy-extract', 'sloppy', { type: 'json', schema: SCHEMA }),
      ],
      SCRIPT,
    );
  });
  afterAll(() => env?.stop());

  it('asks the model for JSON by the schema and answers with a data artifact', async () => {
    const client = await env.clientFor('extract');
    const task = (await client.sendMessage(sendParams(userMessage('Extract it.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.artifacts).toHaveLength(1);
    expect(task.artifacts[0]!.parts.map((p) => p.content)).toEqual([{ $case: 'data', value: { key: 'value', count: 42 } }]);
    const [call] = env.model.requests.filter((r) => r.runId === task.id);
    expect(call!.responseFormat).toEqual({
      type: 'json_schema',
      json_schema: { name: 'extractor_output', schema: SCHEMA, strict: false },
    });
    // The data is in the store with the reply; history has the reply's text once and no more.
    const history = await historyText(env.worker.client, task.id);
    expect(history.split('"count":42').length - 1).toBeLessThanOrEqual(1);
  });

  it('retries a reply that does not match the schema, then fails the task naming the field', async () => {
    const client = await env.clientFor('sloppy-extract');
    const task = (await client.sendMessage(sendParams(userMessage('Extract it.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    const said = task.status?.message?.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('') ?? '';
    expect(said).toContain('agent "sloppy": the reply does not match the output schema at (root): must have required property \'count\'');
    expect(env.model.requests.filter((r) => r.runId === task.id)).toHaveLength(FAST_RETRY!.maximumAttempts!);
  });

  it('sends the data artifact on a stream too', async () => {
    const client = await env.clientFor('extract');
    const events: StreamResponse[] = await collect(client.sendMessageStream(sendParams(userMessage('Extract it again.'))));
    const artifacts = events.flatMap((e) => (e.payload?.$case === 'artifactUpdate' ? [e.payload.value.artifact!] : []));
    const final = artifacts.find((a) => a.artifactId === 'final-answer')!;
    expect(final.parts.map((p) => p.content)).toEqual([{ $case: 'data', value: { key: 'value', count: 42 } }]);
  });

  it('answers a file output with a file artifact, named and typed, the reply its bytes', async () => {
    const client = await env.clientFor('report');
    const task = (await client.sendMessage(sendParams(userMessage('Write the report.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const [part] = task.artifacts[0]!.parts;
    expect([part!.filename, part!.mediaType, part!.content?.$case]).toEqual(['report.md', 'text/markdown', 'raw']);
    expect(part!.content?.$case === 'raw' && Buffer.from(part!.content.value).toString('utf8')).toBe('# Report\n\nAll is well.');
    // The rest of the team, and the transcript, still read it as text.
    expect((await env.worker.client.transcript(task.id)).messages[1]!.content).toBe('# Report\n\nAll is well.');
  });
});

describe('agent output by URL', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([oneAgent('linked', 'reporter', { type: 'file', name: 'output.txt', deliver: 'url' })], SCRIPT);
  });
  afterAll(() => env?.stop());

  it('links the file in the artifact, and the front end serves it there', async () => {
    const client = await env.clientFor('linked');
    const task = (await client.sendMessage(sendParams(userMessage('Write the report.')))) as Task;
    const [part] = task.artifacts[0]!.parts;
    const url = `${env.server.teamUrls['linked']}a2a/files/${task.id}/1/0`;
    expect([part!.filename, part!.mediaType, part!.content]).toEqual(['output.txt', 'text/plain', { $case: 'url', value: url }]);
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toMatch(/^text\/plain/);
    // RFC 6266: an attachment named output.txt (quoted or not, as the header's writer chooses).
    const disposition = parseDisposition(got.headers.get('content-disposition')!);
    expect([disposition.type, disposition.parameters]).toEqual(['attachment', { filename: 'output.txt' }]);
    expect(await got.text()).toBe('# Report\n\nAll is well.');
    // No such file, or no such task: 404, as GetTask says it.
    expect((await fetch(`${env.server.teamUrls['linked']}a2a/files/${task.id}/1/1`)).status).toBe(404);
    expect((await fetch(`${env.server.teamUrls['linked']}a2a/files/linked-nope/1/0`)).status).toBe(404);
  });
});

describe('agent output in the team file', () => {
  const withOutput = (output: unknown) => ({
    version: 1,
    name: 't',
    pattern: 'round_robin',
    model: { model: 'm' },
    agents: [{ name: 'a', description: 'x', output }],
    termination: { type: 'max_messages', max: 2 },
  });

  it('refuses a schema that is not a JSON Schema, naming where', () => {
    expect(() => parseTeamSpec(withOutput({ type: 'json', schema: { type: 'no-such-type' } }), 'team.yaml')).toThrow(
      /^team\.yaml: agents\[0\]\.output\.schema: not a JSON Schema: /,
    );
  });

  it('refuses an output of an unknown type and a file name with folders', () => {
    expect(() => parseTeamSpec(withOutput({ type: 'pdf' }), 'team.yaml')).toThrow(/agents\[0\]\.output/);
    expect(() => parseTeamSpec(withOutput({ type: 'file', name: '../x.txt' }), 'team.yaml')).toThrow(
      /expected a file name, without folders/,
    );
  });
});
