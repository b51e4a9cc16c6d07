/**
 * Seeded malformed A2A requests for the input fuzz test. Every case is built to be invalid, and
 * says what answer it must get: a JSON-RPC error code, or an HTTP status, where it is known; else
 * just "an error" (a JSON-RPC code from -32700 to -32000 but not -32603, or an HTTP 4xx).
 */

/** mulberry32: a tiny seeded PRNG, so a failing run can be repeated with FUZZ_SEED. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzCase {
  what: string;
  transport: 'jsonrpc' | 'rest';
  method: 'GET' | 'POST' | 'DELETE';
  /** Below the transport's base URL, e.g. "/tasks/x?pageSize=y" (REST) or "" (JSON-RPC). */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A JSON-RPC code, an HTTP status, or null: any error of the transport's kind. */
  expect: number | null;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const TASK = 'review-fuzz-no-such-task';
const v1Message = () => ({
  messageId: 'fuzz-m',
  role: 'ROLE_USER',
  parts: [{ text: 'hello', mediaType: 'text/plain' }],
  extensions: ['urn:x'],
});
const v03Message = () => ({ kind: 'message', messageId: 'fuzz-m', role: 'user', parts: [{ kind: 'text', text: 'hello' }] });
const v1Push = () => ({ url: 'https://example.com/hook', token: 't', authentication: { scheme: 'Bearer', credentials: 'c' } });
const v03Push = () => ({ url: 'https://example.com/hook', token: 't', authentication: { schemes: ['Bearer'], credentials: 'c' } });

/** Valid params per method; the fuzzer only ever sends them broken. `required` are paths that must be present. */
interface Template {
  method: string;
  v03: boolean;
  params: Json;
  required: string[][];
}

const TEMPLATES: Template[] = [
  ...['SendMessage', 'SendStreamingMessage'].map((method) => ({
    method,
    v03: false,
    params: {
      tenant: '',
      message: v1Message(),
      configuration: {
        acceptedOutputModes: ['text/plain'],
        historyLength: 2,
        returnImmediately: true,
        taskPushNotificationConfig: v1Push(),
      },
      metadata: { a: 1 },
    },
    required: [['message'], ['message', 'messageId'], ['message', 'role'], ['message', 'parts'], ['message', 'parts', '0', 'text']],
  })),
  { method: 'GetTask', v03: false, params: { id: TASK, historyLength: 1 }, required: [['id']] },
  {
    method: 'ListTasks',
    v03: false,
    params: {
      contextId: 'c',
      status: 'TASK_STATE_WORKING',
      pageSize: 5,
      pageToken: 'p',
      historyLength: 0,
      statusTimestampAfter: '2026-01-01T00:00:00Z',
      includeArtifacts: false,
    },
    required: [],
  },
  { method: 'CancelTask', v03: false, params: { id: TASK, metadata: { a: 1 } }, required: [['id']] },
  { method: 'SubscribeToTask', v03: false, params: { id: TASK }, required: [['id']] },
  { method: 'CreateTaskPushNotificationConfig', v03: false, params: { taskId: TASK, ...v1Push() }, required: [['taskId'], ['url']] },
  { method: 'GetTaskPushNotificationConfig', v03: false, params: { taskId: TASK, id: 'c1' }, required: [['taskId'], ['id']] },
  { method: 'DeleteTaskPushNotificationConfig', v03: false, params: { taskId: TASK, id: 'c1' }, required: [['taskId'], ['id']] },
  { method: 'ListTaskPushNotificationConfigs', v03: false, params: { taskId: TASK, pageSize: 3, pageToken: 'p' }, required: [['taskId']] },
  ...['message/send', 'message/stream'].map((method) => ({
    method,
    v03: true,
    params: {
      message: v03Message(),
      configuration: { acceptedOutputModes: ['text/plain'], historyLength: 2, blocking: false, pushNotificationConfig: v03Push() },
      metadata: { a: 1 },
    },
    required: [['message'], ['message', 'messageId'], ['message', 'role'], ['message', 'parts'], ['message', 'parts', '0', 'kind']],
  })),
  { method: 'tasks/get', v03: true, params: { id: TASK, historyLength: 1 }, required: [['id']] },
  { method: 'tasks/cancel', v03: true, params: { id: TASK }, required: [['id']] },
  { method: 'tasks/resubscribe', v03: true, params: { id: TASK }, required: [['id']] },
  {
    method: 'tasks/pushNotificationConfig/set',
    v03: true,
    params: { taskId: TASK, pushNotificationConfig: v03Push() },
    required: [['taskId'], ['pushNotificationConfig'], ['pushNotificationConfig', 'url']],
  },
  { method: 'tasks/pushNotificationConfig/get', v03: true, params: { id: TASK, pushNotificationConfigId: 'c1' }, required: [['id']] },
  { method: 'tasks/pushNotificationConfig/list', v03: true, params: { id: TASK }, required: [['id']] },
  {
    method: 'tasks/pushNotificationConfig/delete',
    v03: true,
    params: { id: TASK, pushNotificationConfigId: 'c1' },
    required: [['id'], ['pushNotificationConfigId']],
  },
];

/** REST bodies: v1.0 under the base, v0.3 (protobuf JSON) under /v1/ without an A2A-Version header. */
const REST_BODIES: { path: string; v03: boolean; body: Json; required: string[][] }[] = [
  ...['send', 'stream'].map((verb) => ({
    path: `/message:${verb}`,
    v03: false,
    body: { message: v1Message(), configuration: { acceptedOutputModes: ['text/plain'], historyLength: 2, returnImmediately: true } },
    required: [['message'], ['message', 'messageId'], ['message', 'parts']],
  })),
  { path: `/tasks/${TASK}/pushNotificationConfigs`, v03: false, body: v1Push(), required: [['url']] },
  ...['send', 'stream'].map((verb) => ({
    path: `/v1/message:${verb}`,
    v03: true,
    body: {
      message: { messageId: 'fuzz-m', role: 'ROLE_USER', content: [{ text: 'hello' }] },
      configuration: { acceptedOutputModes: ['text/plain'], historyLength: 2, blocking: true },
    },
    required: [['message'], ['message', 'messageId'], ['message', 'role'], ['message', 'content']],
  })),
  {
    path: `/v1/tasks/${TASK}/pushNotificationConfigs`,
    v03: true,
    body: { name: `tasks/${TASK}/pushNotificationConfigs/c1`, pushNotificationConfig: { url: 'https://example.com/hook', token: 't' } },
    required: [['pushNotificationConfig'], ['pushNotificationConfig', 'url']],
  },
];

/** Paths whose contents are free-form JSON (metadata, a data part's value): typed as a whole only. */
const FREE_FORM = new Set(['metadata', 'data']);

/** Every path in a value with the JSON kind found there, skipping inside free-form fields. */
function typedPaths(value: Json, at: string[] = []): { path: string[]; kind: string }[] {
  // A task state may be given by name or by number: neither kind is a wrong one there.
  const here = at.length ? [{ path: at, kind: at[at.length - 1] === 'status' ? 'state' : kindOf(value) }] : [];
  if (at.length && FREE_FORM.has(at[at.length - 1]!)) return here;
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => typedPaths(v, [...at, String(i)]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => typedPaths(v, [...at, k]))];
  return here;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function setAt(root: Json, path: string[], value: Json | undefined): Json {
  const copy = clone(root);
  let node = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Media types no file may declare: bad grammar, characters outside ASCII, control characters, broken parameters. */
const BAD_MEDIA_TYPES = [
  'text',
  'text/',
  '/plain',
  'text//plain',
  'text/plain/x',
  ' text/plain',
  'text /plain',
  'text/pl ain',
  '*/*',
  'image/*',
  '-text/plain',
  'text/plain;charset',
  'text/plain; charset=',
  'text/plain; =utf-8',
  'text/plain; charset="utf-8',
  'text/plain; charset=utf 8',
  'text/plain; charset=(utf-8)',
  'text/plain,text/html',
  `${'t'.repeat(128)}/plain`,
  `text/${'p'.repeat(128)}`,
  'text/名',
  'tëxt/plain',
  'text/plain; charset=é',
  'ｔｅｘｔ/plain',
  'text/plain\u00a0',
  'text/plain\r\nX-Injected: 1',
  'text/plain\n',
  'text/pl\u0000ain',
  'text/plain\u007f',
  'text/pl\tain',
  'text/\u202enialp',
];

/** Characters never in a type or subtype name: each makes a valid type invalid wherever it lands in one. */
const NOT_IN_A_NAME = [
  ' ',
  '"',
  '(',
  ')',
  ',',
  ':',
  '@',
  '[',
  ']',
  '?',
  '=',
  '{',
  '}',
  '*',
  '%',
  '/',
  '\\',
  '名',
  'é',
  '\u0000',
  '\r',
  '\n',
  '\u202e',
];

/** File names of every awkward kind: outside Latin-1, control characters, quotes, CR/LF, very long, RTL overrides, paths. */
const FILE_NAMES: Record<string, readonly string[]> = {
  nonLatin1: ['résumé-名.txt', '履歴書.txt', 'отчёт.txt', 'تقرير.txt', '😀 emoji 👨‍👩‍👧.txt', 'Ω≈ç√.txt'],
  control: ['a\u0000b.txt', 'tab\there.txt', 'del\u007f.txt', 'nel\u0085.txt', 'bell\u0007.txt'],
  quotes: ['say "hi".txt', "it's.txt", 'back\\slash.txt', 'semi;colon=1.txt', "x.txt\"; filename*=UTF-8''evil.html"],
  crlf: ['a\r\nSet-Cookie: x=1.txt', 'line\nbreak.txt', 'cr\r.txt'],
  rtl: ['invoice\u202etxt.exe', 'report\u2066x\u2069.txt', '\u200fhebrew\u200e.txt', 'zero\u200bwidth.txt'],
  paths: ['../../etc/passwd', 'a/b/c.txt', 'C:\\Windows\\x.txt', '.hidden', ' '],
  percent: ['%41%42.txt', '%E0%A4%A.txt', '100%.txt'],
  surrogate: ['a\ud800.txt', '\udc00b.txt'],
};

export class CaseMaker {
  constructor(private readonly rand: () => number) {}

  private int = (n: number) => Math.floor(this.rand() * n);
  private pick = <T>(xs: readonly T[]): T => xs[this.int(xs.length)]!;

  /**
   * A value of a JSON kind other than `kind` (a number field may get no integer). Null only when
   * `nullIsWrong`: protobuf JSON takes null for any field that may be left out.
   */
  wrongValue(kind: string, nullIsWrong = true): Json {
    for (;;) {
      const options: [string, () => Json][] = [
        ['string', () => this.pick(['', '3', 'yes', 'true', 'x'.repeat(this.int(300)), '{"n":3}', '\u0000\ud800'])],
        ['integer', () => this.pick([0, 3, -1, 2 ** 53, 42])],
        ['number', () => this.pick([2.5, -0.1, 1e300])],
        ['boolean', () => this.rand() < 0.5],
        ['null', () => null],
        ['array', () => this.pick<Json>([[], [3], ['a', 'b'], [{}]])],
        ['object', () => this.pick<Json>([{}, { n: 3 }, { a: { b: { c: [] } } }])],
      ];
      const [k, make] = this.pick(nullIsWrong ? options : options.filter(([name]) => name !== 'null'));
      // A float is no integer, but an integer is a number: integers are refused only where not a number.
      if (k !== kind && !(kind === 'number' && k === 'integer') && !(kind === 'state' && (k === 'string' || k === 'integer')))
        return make();
    }
  }

  /** A valid body broken once or more: wrong kinds at random paths, or a required field removed. */
  private broken(valid: Json, required: string[][], proto: boolean): { value: Json; what: string } {
    let value = clone(valid);
    const notes: string[] = [];
    const paths = typedPaths(valid);
    const breaks = 1 + this.int(3);
    for (let i = 0; i < breaks; i += 1) {
      if (required.length && this.rand() < 0.25) {
        const path = this.pick(required);
        if (!stillThere(value, path)) continue;
        // A required field left out, or (in protobuf JSON, where null means "not given") null.
        const gone = proto && this.rand() < 0.5 ? null : undefined;
        value = setAt(value, path, gone);
        notes.push(`${gone === null ? 'null' : '-'}${path.join('.')}`);
      } else {
        const { path, kind } = this.pick(paths);
        if (!stillThere(value, path)) continue;
        value = setAt(value, path, this.wrongValue(kind, !proto));
        notes.push(`${path.join('.')}:!${kind}`);
      }
    }
    // At least one break must have landed (a later one may have replaced an earlier one's parent: still broken).
    if (notes.length === 0) {
      const { path, kind } = this.pick(paths);
      value = setAt(value, path, this.wrongValue(kind, !proto));
      notes.push(`${path.join('.')}:!${kind}`);
    }
    // Unknown extra fields are allowed, and must not hide the break.
    if (this.rand() < 0.3 && value && typeof value === 'object' && !Array.isArray(value)) value = { ...value, futureField: { x: 1 } };
    return { value, what: notes.join(' ') };
  }

  jsonRpcParamsCase(): FuzzCase {
    const t = this.pick(TEMPLATES);
    // v1.0 params are protobuf JSON; v0.3's JSON-RPC params are plain JSON, where null is no string.
    const { value, what } = this.broken(t.params, t.required, !t.v03);
    return this.rpc(t.v03, { jsonrpc: '2.0', id: this.int(1000), method: t.method, params: value }, -32602, `${t.method} ${what}`);
  }

  jsonRpcEnvelopeCase(): FuzzCase {
    const t = this.pick(TEMPLATES);
    const good = { jsonrpc: '2.0', id: 1, method: t.method, params: t.params };
    const which = this.int(8);
    if (which === 0) return this.rpc(t.v03, [good, good].slice(0, 1 + this.int(2)), -32600, 'a batch');
    if (which === 1) return this.rpc(t.v03, { ...good, jsonrpc: this.pick(['1.0', 2, null, '', '2']) }, -32600, 'a bad jsonrpc');
    if (which === 2) {
      const { jsonrpc: _gone, ...rest } = good;
      return this.rpc(t.v03, rest, -32600, 'no jsonrpc');
    }
    if (which === 3) return this.rpc(t.v03, { ...good, method: this.wrongValue('string') }, -32600, 'a method not a string');
    if (which === 4) return this.rpc(t.v03, { ...good, id: this.pick([1.5, true, {}, [1], -0.5]) }, -32600, 'a bad id');
    if (which === 5) {
      const method = this.pick([
        'tasks/explode',
        'sendMessage',
        'SendMessage2',
        'message/Send',
        `x${'y'.repeat(this.int(2000))}`,
        'constructor',
        '__proto__',
      ]);
      return this.rpc(t.v03, { ...good, method }, -32601, `unknown method ${method.slice(0, 20)}`);
    }
    if (which === 6) return this.rpc(t.v03, { ...good, params: this.pick([[], 'p', 3, true]) }, -32602, 'params not an object');
    return this.rpc(t.v03, { ...good, params: undefined }, t.method.startsWith('GetExtended') ? null : -32602, 'no params');
  }

  /** Bodies that are no JSON, or not sent as JSON. */
  jsonRpcRawCase(): FuzzCase {
    const which = this.int(3);
    const headers = { 'content-type': 'application/json', 'A2A-Version': '1.0' };
    if (which === 0) {
      const body = this.pick(['{', '{"jsonrpc":"2.0",', 'nul', '[1,2', '\u0000', "{'a':1}", '{"a":1}}']);
      return { what: 'not JSON', transport: 'jsonrpc', method: 'POST', path: '', headers, body, expect: -32700 };
    }
    if (which === 1) {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: TASK } });
      const type = this.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded']);
      return {
        what: `content-type ${type}`,
        transport: 'jsonrpc',
        method: 'POST',
        path: '',
        headers: { ...headers, 'content-type': type },
        body,
        expect: -32005,
      };
    }
    // Top-level JSON scalars: the parser takes objects and arrays only.
    return {
      what: 'a JSON scalar',
      transport: 'jsonrpc',
      method: 'POST',
      path: '',
      headers,
      body: this.pick(['"x"', '3', 'true', 'null']),
      expect: -32700,
    };
  }

  /** Deep nesting, and huge strings within the body limit, at a field that wants something else. */
  jsonRpcBigCase(limit: number): FuzzCase {
    const t = this.pick(TEMPLATES.filter((x) => x.method === 'SendMessage' || x.method === 'message/send'));
    let deep: Json = 'leaf';
    for (let i = 0, n = 100 + this.int(900); i < n; i += 1) deep = this.rand() < 0.5 ? [deep] : { d: deep };
    const huge = 'h'.repeat(Math.floor(limit * (0.2 + 0.6 * this.rand())));
    const value = this.rand() < 0.5 ? deep : huge;
    const params = setAt(t.params, ['configuration', 'historyLength'], value);
    return this.rpc(
      t.v03,
      { jsonrpc: '2.0', id: 1, method: t.method, params },
      -32602,
      `${t.method} ${typeof value === 'string' ? 'huge' : 'deep'} historyLength`,
    );
  }

  restBodyCase(): FuzzCase {
    const t = this.pick(REST_BODIES);
    const { value, what } = this.broken(t.body, t.required, true);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(t.v03 ? {} : { 'A2A-Version': '1.0' }) };
    return {
      what: `${t.path} ${what}`,
      transport: 'rest',
      method: 'POST',
      path: t.path,
      headers,
      body: JSON.stringify(value),
      expect: 400,
    };
  }

  restQueryCase(): FuzzCase {
    const bad: [string, string][] = [
      ['historyLength', this.pick(['abc', '3abc', '-1', '1.5', '', ' 3', '0x10'])],
      ['pageSize', this.pick(['x', '1e2', '-3', '2.0', '5five'])],
      ['includeArtifacts', this.pick(['yes', '1', 'TRUE', 'on'])],
      ['status', this.pick(['TASK_STATE_DONE', 'working', '99', '-1'])],
      ['statusTimestampAfter', this.pick(['yesterday', 'not-a-time', '2026-13-45'])],
    ];
    const list = this.rand() < 0.7;
    const [name, raw] = list ? this.pick(bad) : bad[0]!;
    const repeated = this.rand() < 0.15;
    const query = repeated ? `${name}=1&${name}=2` : `${name}=${encodeURIComponent(raw)}`;
    const headers = { 'A2A-Version': '1.0' };
    if (!list && this.rand() < 0.5)
      return {
        what: `v0.3 GetTask ?${query}`,
        transport: 'rest',
        method: 'GET',
        path: `/v1/tasks/${TASK}?${query}`,
        headers: {},
        body: undefined,
        expect: 400,
      };
    const path = list ? `/tasks?${query}` : `/tasks/${TASK}?${query}`;
    // "-1" is a non-negative integer's minus sign, not a state: "-1" as status is refused as well.
    return { what: `GET ${path}`, transport: 'rest', method: 'GET', path, headers, body: undefined, expect: 400 };
  }

  restRawCase(limit: number): FuzzCase {
    const which = this.int(4);
    const path = this.pick(['/message:send', '/message:stream', `/tasks/${TASK}/pushNotificationConfigs`]);
    const headers = { 'content-type': 'application/json', 'A2A-Version': '1.0' };
    if (which === 0)
      return {
        what: `${path} not JSON`,
        transport: 'rest',
        method: 'POST',
        path,
        headers,
        body: this.pick(['{', 'nul', '{"a":}']),
        expect: 400,
      };
    if (which === 1) {
      const type = this.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x']);
      return {
        what: `${path} as ${type}`,
        transport: 'rest',
        method: 'POST',
        path,
        headers: { ...headers, 'content-type': type },
        body: '{"message":{}}',
        expect: 415,
      };
    }
    if (which === 2)
      return {
        what: `${path} over the limit`,
        transport: 'rest',
        method: 'POST',
        path,
        headers,
        body: JSON.stringify({ pad: 'p'.repeat(limit + 10) }),
        expect: 413,
      };
    return { what: `${path} a JSON array`, transport: 'rest', method: 'POST', path, headers, body: '[{"message":{}}]', expect: 400 };
  }

  /** A media type no file may declare: one of the known bad ones, or a valid one with a bad character in its type name. */
  badMediaType(): string {
    if (this.rand() < 0.5) return this.pick(BAD_MEDIA_TYPES);
    const type = this.pick(['text', 'image', 'application']);
    const at = 1 + this.int(type.length);
    return `${type.slice(0, at)}${this.pick(NOT_IN_A_NAME)}${type.slice(at)}/plain`;
  }

  /** A send whose file part declares a bad media type, in either version, over either transport: -32602, or 400. */
  fileTypeCase(): FuzzCase {
    const type = this.badMediaType();
    const bytes = Buffer.from('fuzz').toString('base64');
    const which = this.int(4);
    const what = `file of type ${JSON.stringify(type).slice(0, 40)}`;
    if (which === 0) {
      // A text part's type is checked as well.
      const part = this.rand() < 0.2 ? { text: 'hello', mediaType: type } : { raw: bytes, mediaType: type, filename: 'f.txt' };
      const message = { ...v1Message(), parts: [{ text: 'hello' }, part] };
      return this.rpc(false, { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message } }, -32602, `SendMessage ${what}`);
    }
    if (which === 1) {
      const message = {
        ...v03Message(),
        parts: [
          { kind: 'text', text: 'hello' },
          { kind: 'file', file: { bytes, mimeType: type, name: 'f.txt' } },
        ],
      };
      return this.rpc(true, { jsonrpc: '2.0', id: 1, method: 'message/send', params: { message } }, -32602, `message/send ${what}`);
    }
    const v03 = which === 3;
    const body = v03
      ? {
          message: { messageId: 'fuzz-m', role: 'ROLE_USER', content: [{ text: 'x' }, { file: { fileWithBytes: bytes, mimeType: type } }] },
        }
      : { message: { ...v1Message(), parts: [{ text: 'x' }, { raw: bytes, mediaType: type }] } };
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(v03 ? {} : { 'A2A-Version': '1.0' }) };
    const path = v03 ? '/v1/message:send' : '/message:send';
    return { what: `${path} ${what}`, transport: 'rest', method: 'POST', path, headers, body: JSON.stringify(body), expect: 400 };
  }

  /** An awkward file name: one of a kind picked at random, sometimes two run together, sometimes very long. */
  fileName(): string {
    const kinds = Object.keys(FILE_NAMES);
    const one = () => this.pick(FILE_NAMES[this.pick(kinds)]!);
    if (this.rand() < 0.15) return `${'n'.repeat(200 + this.int(200))}.txt`;
    return this.rand() < 0.3 ? `${one()}${one()}` : one();
  }

  private rpc(v03: boolean, body: unknown, expect: number | null, what: string): FuzzCase {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(v03 ? {} : { 'A2A-Version': '1.0' }) };
    return { what, transport: 'jsonrpc', method: 'POST', path: '', headers, body: JSON.stringify(body), expect };
  }
}

function stillThere(value: Json, path: string[]): boolean {
  let node: Json | undefined = value;
  for (const key of path) {
    if (!node || typeof node !== 'object') return false;
    node = (node as Record<string, Json>)[key];
  }
  return node !== undefined;
}
