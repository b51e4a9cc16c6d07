import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse as parseDisposition } from 'content-disposition';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model/server';
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { CliProcess, jsonLines, temporalFlags } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';

/**
 * Issue 29, the attack as reported, against `durable-teams serve` as a process with bearer auth:
 * a token holder uploads a file named `résumé-名.txt` and downloads it. That download threw
 * ERR_INVALID_CHAR in a promise callback, and the unhandled rejection ended the process (HTTP,
 * gRPC and the console together), again on every later download. A media type `text/名` took the
 * same way through Content-Type. Now the name comes back RFC 6266-encoded, and the type is
 * refused where it comes in.
 */
const TOKEN = 'alice-token-0123456789';
const NAME = 'résumé-名.txt';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('a file named outside Latin-1, against `durable-teams serve` (issue 29)', () => {
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let serve: CliProcess;
  let team: string;
  const taskQueue = uniqueTaskQueue('file-attack');

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    worker = await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl } });
    serve = new CliProcess(
      ['serve', join(ROOT, 'examples/teams/review.yaml'), '--port', '0', '--auth', 'bearer', ...temporalFlags(taskQueue)],
      {
        env: { DURABLE_TEAMS_A2A_TOKENS: `alice=${TOKEN}`, DURABLE_TEAMS_LOG_FORMAT: 'json' },
        timeoutMs: 120_000,
      },
    );
    team = (await serve.waitFor('stdout', /^review (http:\S+)$/m))[1]!;
  });
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await worker?.stop();
    await model?.close();
  });

  const auth = { authorization: `Bearer ${TOKEN}` };
  const send = async (file: Json): Promise<Json> => {
    const response = await fetch(`${team}a2a/jsonrpc`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'A2A-Version': '1.0' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: {
          message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'Summarise my CV.' }, file] },
          configuration: { returnImmediately: true },
        },
      }),
    });
    return (await response.json()) as Json;
  };

  it('stores the file, serves it under its own name (filename*), as often as asked, and keeps serving', async () => {
    const bytes = Buffer.from('Curriculum vitae\n');
    const sent = await send({ raw: bytes.toString('base64'), mediaType: 'text/plain', filename: NAME });
    const taskId = sent.result?.task?.id as string;
    expect(taskId).toMatch(/^review-/);

    for (const requestId of ['download-1', 'download-2']) {
      const response = await fetch(`${team}a2a/files/${taskId}/0/0`, { headers: { ...auth, 'X-Request-Id': requestId } });
      expect(response.status).toBe(200);
      const header = response.headers.get('content-disposition')!;
      // An ASCII fallback for old clients, and the name itself, UTF-8 and %-encoded (RFC 6266 §4.3, RFC 8187).
      expect(header).toBe(`attachment; filename="r?sum?-?.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9-%E5%90%8D.txt`);
      expect(parseDisposition(header)).toEqual({
        type: 'attachment',
        parameters: { filename: NAME, 'filename*': "UTF-8''r%C3%A9sum%C3%A9-%E5%90%8D.txt" },
      });
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    }
    // Nobody else's: no token, no file.
    expect((await fetch(`${team}a2a/files/${taskId}/0/0`)).status).toBe(401);

    // The request log line carries the request's id, as the response header did.
    await serve.waitFor('stderr', /"requestId":"download-2"/);
    const line = jsonLines(serve.stderr).find((l) => l.message === 'request' && l.requestId === 'download-2');
    expect(line).toMatchObject({ method: 'GET', status: 200, caller: 'alice' });
  });

  it('refuses a media type outside Latin-1 where it comes in, naming the part; the process serves on', async () => {
    const sent = await send({ raw: Buffer.from('x').toString('base64'), mediaType: 'text/名', filename: 'a.txt' });
    expect(sent.error).toMatchObject({
      code: -32602,
      message: 'params.message.parts[1].mediaType: "text/名" is not a media type (RFC 6838: type/subtype)',
    });
    // Still the same process, serving.
    const card = await fetch(`${team}.well-known/agent-card.json`);
    expect(card.status).toBe(200);
    expect(serve.stderr).not.toMatch(/ERR_INVALID_CHAR|Unhandled|uncaught/i);
  });
});
