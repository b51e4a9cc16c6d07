import { Role, TaskState } from '@a2a-js/sdk';
import { parse as parseDisposition } from 'content-disposition';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/server/server';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { startA2AEnv, userMessage, sendParams, type A2AEnv } from './a2a-env';
import { CaseMaker, mulberry32, type FuzzCase } from './fuzz-cases';

/**
 * Issue 16: thousands of seeded malformed requests against a real front end, over both JSON-RPC
 * (v1.0 and v0.3 method names) and HTTP+JSON (v1.0 and v0.3 routes). Each must be answered with
 * an error of the right kind (the expected code where the case knows it), never a 5xx nor an
 * internal error; none may start a run; and the server must still serve a valid request after.
 * Issue 29 adds file parts: bad media types are refused like any malformed field, and awkward
 * file names are each refused naming the name, or stored and then served back under a name a
 * header can carry. FUZZ_SEED repeats a run; the seed in use is printed.
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const CONCURRENCY = 16;
const MIX: [keyof CaseMaker, number][] = [
  ['jsonRpcParamsCase', 1300],
  ['jsonRpcEnvelopeCase', 700],
  ['jsonRpcRawCase', 300],
  ['jsonRpcBigCase', 60],
  ['restBodyCase', 600],
  ['fileTypeCase', 300],
  ['restQueryCase', 350],
  ['restRawCase', 150],
];

describe('A2A input fuzzing: malformed requests get errors, start nothing, and the server keeps serving', () => {
  let env: A2AEnv;
  const runIds = async () => {
    const ids: string[] = [];
    for await (const e of env.worker.client.lister.runs({ taskQueue: env.worker.client.taskQueue, teams: ['review'] }))
      ids.push(e.workflowId);
    return ids;
  };

  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT);
  });
  afterAll(() => env?.stop());

  it(`answers every malformed request with the right error (seed ${SEED})`, async () => {
    process.stdout.write(`fuzz-input: seed ${SEED} (set FUZZ_SEED=${SEED} to repeat)\n`);
    const make = new CaseMaker(mulberry32(SEED));
    const cases: FuzzCase[] = [];
    for (const [kind, n] of MIX)
      for (let i = 0; i < n; i += 1) cases.push((make[kind] as (limit: number) => FuzzCase).call(make, DEFAULT_MAX_BODY_BYTES));
    const before = await runIds();

    const base = env.server.teamUrls.review!;
    const failures: string[] = [];
    const tally: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const url = c.transport === 'jsonrpc' ? `${base}a2a/jsonrpc` : `${base}a2a/rest${c.path}`;
        const response = await fetch(url, { method: c.method, headers: c.headers, body: c.body });
        const text = await response.text();
        const problem = judge(c, response.status, text);
        const key = `${c.transport} ${response.status}${problem ? ' FAIL' : ''}`;
        tally[key] = (tally[key] ?? 0) + 1;
        if (problem) failures.push(`${c.transport} ${c.method} ${c.path} [${c.what}]: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    process.stdout.write(`fuzz-input: ${cases.length} requests; answers ${JSON.stringify(tally)}\n`);
    expect(failures.slice(0, 20)).toEqual([]);

    // Still serving: a valid SendMessage starts a run, which completes with the scripted model.
    const client = await env.clientFor('review');
    const result = await client.sendMessage(sendParams(userMessage('Write a note.', { role: Role.ROLE_USER })));
    const task = result as { id: string; status?: { state: number } };
    expect(task.id).toMatch(/^review-/);
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    // Visibility lags a start a little: wait for the valid run to be listed, then compare.
    let after = await runIds();
    while (!after.includes(task.id)) {
      await new Promise((r) => setTimeout(r, 200));
      after = await runIds();
    }
    expect(after.filter((id) => !before.includes(id))).toEqual([task.id]);
  }, 180_000);

  // After the test above: the names that are taken start runs, which it counts.
  it(`refuses each awkward file name naming it, or stores it and serves it back safely (seed ${SEED})`, async () => {
    const make = new CaseMaker(mulberry32(SEED + 1));
    const names = Array.from({ length: FILE_NAMES }, () => make.fileName());
    const bytes = Buffer.from('fuzzed file\n');
    const base = env.server.teamUrls.review!;
    const failures: string[] = [];
    let taken = 0;
    await Promise.all(
      names.map(async (name, i) => {
        const v03 = i % 2 === 1;
        const file = v03
          ? { kind: 'file', file: { bytes: bytes.toString('base64'), mimeType: 'text/plain', name } }
          : { raw: bytes.toString('base64'), mediaType: 'text/plain', filename: name };
        const message = v03
          ? { kind: 'message', messageId: `fuzz-name-${i}`, role: 'user', parts: [{ kind: 'text', text: 'Read it.' }, file] }
          : { messageId: `fuzz-name-${i}`, role: 'ROLE_USER', parts: [{ text: 'Read it.' }, file] };
        const response = await fetch(`${base}a2a/jsonrpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(v03 ? {} : { 'A2A-Version': '1.0' }) },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: i,
            method: v03 ? 'message/send' : 'SendMessage',
            params: { message, configuration: v03 ? { blocking: false } : { returnImmediately: true } },
          }),
        });
        const answer = (await response.json()) as {
          result?: { id?: string; task?: { id: string } };
          error?: { code: number; message: string };
        };
        const problem = answer.error
          ? refusalProblem(answer.error, v03)
          : await downloadProblem(`${base}a2a/files/${answer.result?.task?.id ?? answer.result?.id}/0/0`, name, bytes);
        if (!answer.error) taken += 1;
        if (problem) failures.push(`${JSON.stringify(name).slice(0, 80)}: ${problem}`);
      }),
    );
    process.stdout.write(`fuzz-input: ${names.length} file names, ${taken} taken\n`);
    expect(failures).toEqual([]);
  }, 120_000);
});

/** File names sent, one per message: those taken start a run each, so they are few. */
const FILE_NAMES = 24;

/** A refused name must be refused as a bad parameter, naming the name's field. */
function refusalProblem(error: { code: number; message: string }, v03: boolean): string | null {
  const field = v03 ? /^params\.message\.parts\[1\]\.file\.name: / : /^params\.message\.parts\[1\]\.filename: /;
  return error.code === -32602 && field.test(error.message) ? null : `refused as ${error.code}: ${error.message.slice(0, 200)}`;
}

/** Characters a served name may not hold: control and format characters, lone surrogates, path separators. */
const UNSAFE_IN_A_NAME = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}/\\]/u;

/**
 * A taken name must come back as a sandboxed attachment with the file's bytes, under a name a
 * header carries and a file system takes: the name itself when it was safe, else one made safe.
 */
async function downloadProblem(url: string, name: string, bytes: Buffer): Promise<string | null> {
  const response = await fetch(url);
  if (response.status !== 200) return `download: HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
  if (!Buffer.from(await response.arrayBuffer()).equals(bytes)) return 'download: other bytes';
  if (response.headers.get('content-security-policy') !== "default-src 'none'; sandbox") return 'download: no sandbox';
  let served: { type: string; parameters: Record<string, string> };
  try {
    served = parseDisposition(response.headers.get('content-disposition') ?? '');
  } catch (err) {
    return `download: Content-Disposition does not parse (${(err as Error).message})`;
  }
  const filename = served.parameters.filename ?? '';
  if (served.type !== 'attachment') return `download: ${served.type}, not an attachment`;
  if (!filename || UNSAFE_IN_A_NAME.test(filename) || [...filename].length > 255) return `download: served as ${JSON.stringify(filename)}`;
  if (!UNSAFE_IN_A_NAME.test(name) && name.trim() && filename !== name.trim()) return `download: served as ${JSON.stringify(filename)}`;
  return null;
}

/** Null when the answer is right for the case, else what is wrong with it. */
function judge(c: FuzzCase, status: number, text: string): string | null {
  if (status >= 500) return `HTTP ${status}: ${text.slice(0, 200)}`;
  let body: { error?: { code?: unknown; status?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `HTTP ${status}, not JSON: ${text.slice(0, 200)}`;
  }
  if (c.transport === 'jsonrpc') {
    if (status !== 200) return `HTTP ${status}, JSON-RPC errors come with 200`;
    const code = body.error?.code;
    if (typeof code !== 'number') return `no error: ${text.slice(0, 200)}`;
    if (c.expect !== null) return code === c.expect ? null : `code ${code}, expected ${c.expect}: ${text.slice(0, 300)}`;
    return code <= -32000 && code >= -32700 && code !== -32603 ? null : `code ${code}: ${text.slice(0, 300)}`;
  }
  if (c.expect !== null && status !== c.expect) return `HTTP ${status}, expected ${c.expect}: ${text.slice(0, 300)}`;
  if (status < 400) return `HTTP ${status}: no error`;
  return body.error ? null : `HTTP ${status} without an error body: ${text.slice(0, 200)}`;
}
