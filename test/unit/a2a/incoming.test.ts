import { Role, type Message, type Part } from '@a2a-js/sdk';
import { answerOf, checkOutputModes, readIncoming } from '../../../src/a2a/incoming';

const text = (value: string, mediaType = 'text/plain'): Part => ({
  content: { $case: 'text', value },
  metadata: undefined,
  filename: '',
  mediaType,
});
const data = (value: unknown): Part => ({
  content: { $case: 'data', value },
  metadata: undefined,
  filename: '',
  mediaType: 'application/json',
});
const message = (parts: Part[], extra: Partial<Message> = {}): Message => ({
  messageId: 'm-1',
  contextId: '',
  taskId: '',
  role: Role.ROLE_USER,
  parts,
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
  ...extra,
});
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as Error).constructor.name + ': ' + (err as Error).message;
  }
  return undefined;
};

describe('readIncoming', () => {
  it('joins text parts and keeps data parts apart', () => {
    const read = readIncoming(message([text('Write'), text('a note'), data({ action: 'approve' })], { taskId: 't', contextId: 'c' }), 1000);
    expect(read).toEqual({
      messageId: 'm-1',
      taskId: 't',
      contextId: 'c',
      text: 'Write\n\na note',
      data: [{ action: 'approve' }],
      attachments: [{ kind: 'data', data: { action: 'approve' } }],
      fileUrls: [],
      references: [],
    });
  });

  it('takes referenced task ids once each, and refuses an empty one or too many, naming the field', () => {
    expect(readIncoming(message([text('x')], { referenceTaskIds: ['a', 'b', 'a'] }), 10).references).toEqual(['a', 'b']);
    expect(codeOf(() => readIncoming(message([text('x')], { referenceTaskIds: ['a', ' '] }), 10))).toMatch(
      /message.referenceTaskIds\[1\] is empty/,
    );
    const many = Array.from({ length: 21 }, (_, i) => `task-${i}`);
    expect(codeOf(() => readIncoming(message([text('x')], { referenceTaskIds: many }), 10))).toMatch(
      /message.referenceTaskIds has 21 tasks; the limit is 20/,
    );
  });

  it('refuses what it cannot read, saying where', () => {
    expect(codeOf(() => readIncoming(undefined, 10))).toMatch(/params.message is missing/);
    expect(codeOf(() => readIncoming(message([text('x')], { messageId: '' }), 10))).toMatch(/messageId is missing/);
    expect(codeOf(() => readIncoming(message([text('x')], { role: Role.ROLE_AGENT }), 10))).toMatch(/ROLE_USER/);
    expect(codeOf(() => readIncoming(message([]), 10))).toMatch(/parts is empty/);
    const file: Part = {
      content: { $case: 'url', value: 'http://x/y.png' },
      metadata: undefined,
      filename: 'y.png',
      mediaType: 'image/png',
    };
    const zip: Part = { ...file, content: { $case: 'raw', value: Buffer.from('PK') }, filename: 'a.zip', mediaType: 'application/zip' };
    expect(codeOf(() => readIncoming(message([text('see'), zip]), 100))).toMatch(
      /ContentTypeNotSupported.*message\.parts\[1\] is a file of type application\/zip; this agent takes image\/png, /,
    );
    expect(codeOf(() => readIncoming(message([text('see'), { ...file, mediaType: '' }]), 100))).toMatch(
      /RequestMalformed.*message\.parts\[1\]\.mediaType is missing/,
    );
    expect(codeOf(() => readIncoming(message([text('x', 'text/html')]), 100))).toMatch(
      /parts\[0\] is text of media type "text\/html"; text parts are text\/plain or text\/markdown/,
    );
    expect(codeOf(() => readIncoming(message([text('   ')]), 100))).toMatch(/no text/);
  });

  it('refuses a message over the limit, naming the limit', () => {
    expect(codeOf(() => readIncoming(message([text('x'.repeat(11))]), 10))).toMatch(/has 11 characters of text and data; the limit is 10/);
  });

  it('takes a file by URL and names where its URL came from, for the inward-address check', () => {
    const file: Part = {
      content: { $case: 'url', value: 'http://x/y.png' },
      metadata: undefined,
      filename: 'y.png',
      mediaType: 'image/png',
    };
    const read = readIncoming(message([text('see'), file]), 100);
    expect(read.attachments).toEqual([{ kind: 'file', mediaType: 'image/png', name: 'y.png', url: 'http://x/y.png' }]);
    expect(read.fileUrls).toEqual([{ field: 'message.parts[1].url', url: 'http://x/y.png' }]);
  });

  it('refuses output modes that exclude text', () => {
    expect(() => checkOutputModes(undefined)).not.toThrow();
    expect(() =>
      checkOutputModes({ acceptedOutputModes: ['text/plain'], taskPushNotificationConfig: undefined, returnImmediately: false }),
    ).not.toThrow();
    expect(
      codeOf(() =>
        checkOutputModes({ acceptedOutputModes: ['image/png'], taskPushNotificationConfig: undefined, returnImmediately: false }),
      ),
    ).toMatch(/ContentTypeNotSupported/);
  });
});

describe('answerOf: the convention for answering a waiting task', () => {
  const read = (parts: Part[]) => readIncoming(message(parts), 1000);

  it('takes a decision data part as it is', () => {
    expect(answerOf(read([data({ action: 'reject', text: 'off topic', requestId: 'req-2' })]), 'approval', 'alice')).toEqual({
      action: 'reject',
      text: 'off topic',
      requestId: 'req-2',
      by: 'alice',
    });
    // The text beside the data part becomes the comment.
    expect(answerOf(read([text('nice'), data({ action: 'approve' })]), 'approval', 'bob')).toEqual({
      action: 'approve',
      text: 'nice',
      by: 'bob',
    });
  });

  it('refuses a malformed decision, naming the field', () => {
    expect(codeOf(() => answerOf(read([data({ action: 'maybe' })]), 'approval', 'a'))).toMatch(
      /decision data part is malformed at "action"/,
    );
    expect(codeOf(() => answerOf(read([data({ action: 'approve', extra: 1 })]), 'approval', 'a'))).toMatch(/malformed/);
  });

  it('reads approvals from text: approve, reject, else a request for changes', () => {
    expect(answerOf(read([text('Approve: ship it')]), 'approval', 'a')).toEqual({ action: 'approve', text: 'ship it', by: 'a' });
    expect(answerOf(read([text('LGTM')]), 'approval', 'a')).toEqual({ action: 'approve', by: 'a' });
    expect(answerOf(read([text('reject - wrong audience')]), 'approval', 'a')).toEqual({
      action: 'reject',
      text: 'wrong audience',
      by: 'a',
    });
    expect(answerOf(read([text('Not yet: shorten the intro')]), 'approval', 'a')).toEqual({
      action: 'request_changes',
      text: 'Not yet: shorten the intro',
      by: 'a',
    });
    // "approved" inside a sentence is not a decision.
    expect(answerOf(read([text('The approved budget is missing')]), 'approval', 'a').action).toBe('request_changes');
  });

  it('takes text as the input to a question', () => {
    expect(answerOf(read([text('approve the budget first')]), 'input', 'a')).toEqual({
      action: 'input',
      text: 'approve the budget first',
      by: 'a',
    });
  });
});
