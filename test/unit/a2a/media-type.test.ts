import { downloadHeaders, downloadName } from '../../../src/a2a/file-download';
import { depthProblem, tooDeep } from '../../../src/a2a/input/depth';
import { fileNameProblem, isMediaType } from '../../../src/a2a/media-type';

describe('media types (RFC 6838 names, RFC 9110 parameters)', () => {
  it.each([
    'image/png',
    'application/vnd.api+json',
    'Text/Plain',
    'text/plain; charset=utf-8',
    'text/plain;charset="utf-8"; format=flowed',
    'text/plain; x="a \\"quoted\\" value"',
    'text/plain;',
    'text/plain ; ',
    `${'a'.repeat(127)}/${'b'.repeat(127)}`,
  ])('takes %j', (type) => expect(isMediaType(type)).toBe(true));

  it.each([
    '',
    'text',
    'text/',
    '/plain',
    'text/plain/x',
    ' text/plain',
    'text /plain',
    '*/*',
    'image/*',
    '.text/plain',
    `${'a'.repeat(128)}/plain`,
    'text/名',
    'text/plain; charset=é',
    'text/plain\r\nX-Injected: 1',
    'text/pl\u0000ain',
    'text/plain; charset',
    'text/plain; charset="utf-8',
    'text/plain, text/html',
  ])('refuses %j', (type) => expect(isMediaType(type)).toBe(false));
});

describe('file names', () => {
  it('takes any printable name up to 255 characters, outside Latin-1 and with overrides included', () => {
    for (const name of ['résumé-名.txt', 'say "hi".txt', 'invoice\u202etxt.exe', '😀.png', 'n'.repeat(255)])
      expect(fileNameProblem(name)).toBeNull();
  });

  it('refuses control characters, lone surrogates and more than 255 characters, saying which', () => {
    expect(fileNameProblem('a\r\nb')).toBe('"a\\r\\nb" holds a control character (U+000D); send the name without it');
    expect(fileNameProblem('a\u0085')).toMatch(/U\+0085/);
    expect(fileNameProblem('a\ud800')).toMatch(/lone surrogate/);
    expect(fileNameProblem('n'.repeat(256))).toBe('has 256 characters; the limit is 255');
  });

  it('serves a name with what a header or a file system cannot hold replaced, and a fallback for none', () => {
    expect(downloadName('résumé-名.txt')).toBe('résumé-名.txt');
    expect(downloadName('a\r\nb\u202etxt.exe')).toBe('a__b_txt.exe');
    expect(downloadName('../etc/passwd')).toBe('.._etc_passwd');
    expect(downloadName(undefined)).toBe('file');
    expect(downloadName(' \u200b ')).toBe('_');
    expect(downloadName('\t')).toBe('_');
    expect([...downloadName('名'.repeat(300))]).toHaveLength(255);
  });

  it('downloads every file as a sandboxed attachment, an unreadable type as octet-stream', () => {
    expect(downloadHeaders({ name: 'résumé-名.txt', mediaType: 'text/名' })).toEqual({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="r?sum?-?.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9-%E5%90%8D.txt`,
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
    });
    expect(downloadHeaders({ name: 'page.html', mediaType: 'text/html' })).toMatchObject({
      'Content-Type': 'text/html',
      'Content-Disposition': 'attachment; filename=page.html',
    });
  });
});

describe('request depth', () => {
  const nested = (depth: number) => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i += 1) value = [value];
    return value;
  };

  it('finds the first value past the limit without recursing, however deep', () => {
    expect(tooDeep({ a: nested(63) })).toBeNull();
    expect(tooDeep({ a: nested(64) })).toEqual(['a', ...Array<number>(63).fill(0)]);
    expect(tooDeep(nested(1_000_000))).toHaveLength(64);
    expect(tooDeep({ raw: new Uint8Array(10) }, 1)).toBeNull();
  });

  it('names the first steps of the path and the limit', () => {
    expect(depthProblem(['params', 'message', 'parts', 1, 'data', 'd', 'd', 'd', 'd'])).toBe(
      'params.message.parts[1].data.d.d.d…: nested more than 64 levels deep; a request may nest objects and arrays 64 levels deep at most',
    );
    expect(depthProblem(['message'], 'body')).toMatch(/^body\.message: nested/);
  });
});
