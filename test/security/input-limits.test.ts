import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Part } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { A2AService } from '@a2a-js/sdk/server/grpc';
import { MAX_REQUEST_DEPTH } from '../../src/a2a/input/depth';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { grpcFailure } from '../a2a/callers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';

/**
 * Issue 29: what a request carries is checked where it comes in, on every transport and in both
 * protocol versions: media types against RFC 6838's grammar, file names for what no name holds,
 * and nesting against a depth limit (5,000 levels overflowed the stack, 3,500 were stored). Each
 * is refused naming the part (-32602, HTTP 400, gRPC INVALID_ARGUMENT), and nothing starts.
 */
const INVALID_ARGUMENT = 3;
const BAD_TYPE = '"text/名" is not a media type (RFC 6838: type/subtype)';
const BYTES = Buffer.from('hello').toString('base64');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** { d: { d: … 'leaf' } }, `depth` objects deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = { d: value };
  return value;
}

/** Where a JSON body gets its deep value, as text: JSON.stringify itself overflows past a few thousand levels. */
const DEEP = '__deep__';
const deepJson = (depth: number) => `${'{"d":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;

describe('input checked where it comes in: media types, file names, nesting (issue 29)', () => {
  let env: A2AEnv;
  let team: string;
  let grpcClient: Client;
  const runs = async () => {
    let n = 0;
    for await (const _ of env.worker.client.lister.runs({ taskQueue: env.worker.client.taskQueue, teams: ['review'] })) n += 1;
    return n;
  };
  let before = 0;

  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT, { grpcPort: 0 });
    team = env.server.teamUrls.review!;
    grpcClient = await new ClientFactory({ transports: [new GrpcTransportFactory()], preferredTransports: ['GRPC'] }).createFromUrl(team);
    before = await runs();
  });
  afterAll(() => env?.stop());

  /** POSTs `body` as JSON, with the string DEEP in it replaced by `{"d":…}` nested `depth` deep. */
  async function post(path: string, body: unknown, v03 = false, depth = 0): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${team}a2a/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(v03 ? {} : { 'A2A-Version': '1.0' }) },
      body: JSON.stringify(body).replace(JSON.stringify(DEEP), deepJson(depth)),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }
  const rpc = (method: string, params: unknown, v03 = false, depth = 0) =>
    post('jsonrpc', { jsonrpc: '2.0', id: 1, method, params }, v03, depth);
  const v1 = (...parts: unknown[]) => ({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'Read this.' }, ...parts] });
  const v03 = (...parts: unknown[]) => ({
    kind: 'message',
    messageId: randomUUID(),
    role: 'user',
    parts: [{ kind: 'text', text: 'Read this.' }, ...parts],
  });
  const grpcPart = (part: Partial<Part>): Part => ({ content: undefined, metadata: undefined, filename: '', mediaType: '', ...part });

  it('a media type outside RFC 6838 is refused naming the part: JSON-RPC v1.0 and v0.3, HTTP+JSON v1.0 and v0.3, gRPC', async () => {
    const v1Rpc = await rpc('SendMessage', { message: v1({ raw: BYTES, mediaType: 'text/名', filename: 'a.txt' }) });
    expect(v1Rpc.body.error).toMatchObject({ code: -32602, message: `params.message.parts[1].mediaType: ${BAD_TYPE}` });

    const v03Rpc = await rpc(
      'message/send',
      { message: v03({ kind: 'file', file: { bytes: BYTES, mimeType: 'text/名', name: 'a.txt' } }) },
      true,
    );
    expect(v03Rpc.body.error).toMatchObject({ code: -32602, message: `params.message.parts[1].file.mimeType: ${BAD_TYPE}` });

    const v1Rest = await post('rest/message:send', { message: v1({ raw: BYTES, mediaType: 'text/名' }) });
    expect([v1Rest.status, v1Rest.body.error.message]).toEqual([400, `body.message.parts[1].mediaType: ${BAD_TYPE}`]);

    const v03Body = {
      message: {
        messageId: randomUUID(),
        role: 'ROLE_USER',
        content: [{ text: 'x' }, { file: { fileWithBytes: BYTES, mimeType: 'text/名' } }],
      },
    };
    const v03Rest = await post('rest/v1/message:send', v03Body, true);
    expect([v03Rest.status, v03Rest.body.error.message]).toEqual([400, `body.message.content[1].file.mimeType: ${BAD_TYPE}`]);

    // A text part's type is read as well: a header-breaking value is no type of any part.
    const textType = await rpc('SendMessage', { message: { ...v1(), parts: [{ text: 'hi', mediaType: 'text/plain\r\nX-Injected: 1' }] } });
    expect(textType.body.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/^params\.message\.parts\[0\]\.mediaType: "text\/plain\\r\\nX-Injected: 1" is not a media type/),
    });

    const overGrpc = await grpcFailure(
      grpcClient.sendMessage(
        sendParams(
          userMessage('Read this.', {
            parts: [grpcPart({ content: { $case: 'raw', value: Buffer.from('hello') }, mediaType: 'text/名', filename: 'a.txt' })],
          }),
        ),
      ),
    );
    expect(overGrpc).toEqual({ code: INVALID_ARGUMENT, text: expect.stringContaining(`message.parts[0].mediaType: ${BAD_TYPE}`) });
    expect(await runs()).toBe(before);
  });

  it('a file name holding a control character (CR/LF), a lone surrogate or more than 255 characters is refused naming it', async () => {
    const crlf = await rpc('SendMessage', { message: v1({ raw: BYTES, mediaType: 'text/plain', filename: 'a\r\nSet-Cookie: x.txt' }) });
    expect(crlf.body.error).toMatchObject({
      code: -32602,
      message: 'params.message.parts[1].filename: "a\\r\\nSet-Cookie: x.txt" holds a control character (U+000D); send the name without it',
    });
    const surrogate = await rpc(
      'message/send',
      { message: v03({ kind: 'file', file: { bytes: BYTES, mimeType: 'text/plain', name: 'a\ud800.txt' } }) },
      true,
    );
    expect(surrogate.body.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/^params\.message\.parts\[1\]\.file\.name: .* lone surrogate/),
    });
    const long = await post('rest/message:send', {
      message: v1({ raw: BYTES, mediaType: 'text/plain', filename: `${'n'.repeat(300)}.txt` }),
    });
    expect([long.status, long.body.error.message]).toEqual([400, 'body.message.parts[1].filename: has 304 characters; the limit is 255']);
    const overGrpc = await grpcFailure(
      grpcClient.sendMessage(
        sendParams(
          userMessage('x', {
            parts: [grpcPart({ content: { $case: 'raw', value: Buffer.from('x') }, mediaType: 'text/plain', filename: 'a\nb' })],
          }),
        ),
      ),
    );
    expect(overGrpc).toEqual({
      code: INVALID_ARGUMENT,
      text: expect.stringContaining('message.parts[0].filename: "a\\nb" holds a control character (U+000A)'),
    });
    expect(await runs()).toBe(before);
  });

  it(`data nested past ${MAX_REQUEST_DEPTH} levels is refused naming the limit, over JSON-RPC and HTTP+JSON, however deep`, async () => {
    for (const depth of [MAX_REQUEST_DEPTH, 3_500, 5_000, 50_000]) {
      const viaRpc = await rpc('SendMessage', { message: v1({ data: DEEP }) }, false, depth);
      expect(viaRpc.body.error).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/^params\.message\.parts\[1\]\.data(\.d)+…: nested more than 64 levels deep/),
      });
      const viaRest = await post('rest/message:send', { message: v1({ data: DEEP }) }, false, depth);
      expect([viaRest.status, viaRest.body.error.message]).toEqual([
        400,
        expect.stringMatching(/^body\.message\.parts\[1\]\.data(\.d)+…: nested more than 64/),
      ]);
    }
    // Metadata is free-form JSON too.
    const deepMetadata = await rpc('SendMessage', { message: { ...v1(), metadata: DEEP } }, false, 5_000);
    expect(deepMetadata.body.error).toMatchObject({ code: -32602, message: expect.stringContaining('params.message.metadata.d.d') });
    expect(await runs()).toBe(before);
  });

  it('a gRPC Struct nested past the limit is INVALID_ARGUMENT, also when it is too deep to decode at all', async () => {
    const deepish = await grpcFailure(
      grpcClient.sendMessage(sendParams(userMessage('x', { parts: [grpcPart({ content: { $case: 'data', value: nested(200) } })] }))),
    );
    expect(deepish).toEqual({ code: INVALID_ARGUMENT, text: expect.stringContaining('nested more than 64 levels deep') });

    // 20,000 levels: the SDK's own encoder would overflow here, so the bytes are written by hand.
    const status = await sendRaw(env.server.grpcTarget!, deepDataRequest(20_000));
    expect(status).toMatchObject({ code: INVALID_ARGUMENT, details: expect.stringContaining('nested more than 64 levels deep') });
    expect(await runs()).toBe(before);
  });

  it('what is within the limits is taken: media types with parameters, in any case; data 50 levels deep', async () => {
    const typed = await rpc('SendMessage', {
      message: v1({ raw: BYTES, mediaType: 'Text/Plain; charset="utf-8"; format=flowed', filename: 'résumé-名.txt' }),
      configuration: { returnImmediately: true },
    });
    expect(typed.body.result?.task?.id).toMatch(/^review-/);
    const deep = await rpc('SendMessage', { message: v1({ data: nested(50) }), configuration: { returnImmediately: true } });
    expect(deep.body.result?.task?.id).toMatch(/^review-/);
  });
});

/** A protobuf field: its tag (number, wire type 2) and length, then the bytes. */
function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
  out.push(n);
  return Buffer.from(out);
}

/** A field's header: its tag (number, wire type 2) and its length. */
const header = (number: number, length: number) => Buffer.concat([varint((number << 3) | 2), varint(length)]);

/**
 * SendMessage(message: { text part, data part }) whose data is a google.protobuf.Value that nests
 * `depth` Structs ({ d: { d: … } }): a valid request encoded by the SDK, and a second
 * SendMessageRequest appended, which protobuf merges into it (its part is added to the parts).
 * Each level is Value { struct_value: Struct { fields: [{ key: "d", value: <the level below> }] } },
 * so the bytes are every level's headers, outermost first, then the leaf: written in one pass.
 */
function deepDataRequest(depth: number): Buffer {
  const leaf = field(3, Buffer.from('leaf')); // Value.string_value
  const headers: Buffer[] = [];
  let below = leaf.length; // the length of the Value one level down
  for (let i = 0; i < depth; i += 1) {
    const value = header(2, below); // FieldsEntry.value
    const entry = 3 + value.length + below; // FieldsEntry { key: "d" (3 bytes), value }
    const fields = header(1, entry); // Struct.fields
    const struct = header(5, fields.length + entry); // Value.struct_value
    headers.push(Buffer.concat([struct, fields, Buffer.from([0x0a, 0x01, 0x64]), value]));
    below = struct.length + fields.length + entry;
  }
  const data = Buffer.concat([...headers.reverse(), leaf]);
  const base = A2AService.sendMessage.requestSerialize(sendParams(userMessage('Read this.')));
  return Buffer.concat([base, field(2, field(5, field(4, data)))]); // request.message.parts[+] = Part { data }
}

/** Sends already-encoded SendMessage bytes; resolves with the call's status. */
function sendRaw(target: string, bytes: Buffer): Promise<Partial<grpc.StatusObject>> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      A2AService.sendMessage.path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      (err) => {
        client.close();
        resolve(err ?? { code: grpc.status.OK });
      },
    );
  });
}
