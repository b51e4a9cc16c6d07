import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, ENCRYPTED_ENCODING, PayloadDecryptionError } from '../../src/temporal/codec/aes-gcm-codec';
import { CodecKeyring } from '../../src/temporal/codec/codec-keys';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const codecWith = (keys: Record<string, Buffer>, current: string) =>
  new AesGcmCodec(new CodecKeyring(new Map(Object.entries(keys)), current, 'TEST_KEYS'));
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

const secretText = 'the launch code is PLUM-42';
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

describe('AES-256-GCM payload codec', () => {
  const codec = codecWith({ a: keyA }, 'a');

  it('round-trips payloads, metadata included, and leaves nothing readable', async () => {
    const originals = [payloadOf({ task: secretText }), payloadOf(null), payloadOf(new Uint8Array([1, 2, 3]))];
    const encoded = await codec.encode(originals);
    expect(encoded).toHaveLength(3);
    for (const payload of encoded) {
      expect(utf8(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(utf8(payload.metadata?.['encryption-key-id'])).toBe('a');
      expect(Object.keys(payload.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
    }
    expect(utf8(encoded[0]!.data)).not.toContain('PLUM-42');
    expect(utf8(encoded[0]!.data)).not.toContain('json/plain');
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ task: secretText }, null, new Uint8Array([1, 2, 3])]);
    expect(decoded.map((p) => Object.keys(p.metadata ?? {}))).toEqual(originals.map((p) => Object.keys(p.metadata ?? {})));
  });

  it('uses a fresh IV for every payload', async () => {
    const [one, two] = await codec.encode([payloadOf(secretText), payloadOf(secretText)]);
    expect(Buffer.from(one!.data!).subarray(0, 12)).not.toEqual(Buffer.from(two!.data!).subarray(0, 12));
    expect(Buffer.from(one!.data!)).not.toEqual(Buffer.from(two!.data!));
  });

  it('passes unencrypted payloads through on decode', async () => {
    const plain = payloadOf({ old: 'run' });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses a payload whose ciphertext, IV or tag was changed', async () => {
    const [sealed] = await codec.encode([payloadOf(secretText)]);
    for (const at of [0, 20, sealed!.data!.length - 1]) {
      const data = Buffer.from(sealed!.data!);
      data[at] = data[at]! ^ 0x01;
      await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(
        new PayloadDecryptionError(
          'a payload encrypted with key "a" failed authentication: it was altered, or it was encrypted with another key of that id',
        ),
      );
    }
    await expect(codec.decode([{ ...sealed, data: Buffer.from(sealed!.data!).subarray(0, 20) }])).rejects.toThrow(
      'a payload encrypted with key "a" is truncated',
    );
  });

  it('decodes with the key the payload names after a rotation, and encodes with the current one', async () => {
    const [underA] = await codec.encode([payloadOf('written under a')]);
    const rotated = codecWith({ a: keyA, b: keyB }, 'b');
    const [underB] = await rotated.encode([payloadOf('written under b')]);
    expect(utf8(underB!.metadata?.['encryption-key-id'])).toBe('b');
    expect((await rotated.decode([underA!, underB!])).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      'written under a',
      'written under b',
    ]);
  });

  it('names an unknown key id, and never a key, when it cannot decode', async () => {
    const [underA] = await codec.encode([payloadOf(secretText)]);
    const onlyB = codecWith({ b: keyB }, 'b');
    const failure = await onlyB.decode([underA!]).then(
      () => null,
      (err: Error) => err,
    );
    expect(failure).toBeInstanceOf(PayloadDecryptionError);
    expect(failure!.message).toBe('a payload is encrypted with key "a", which is not in TEST_KEYS (ids: b); add that key to read it');
    for (const key of [keyA, keyB]) {
      expect(failure!.message).not.toContain(key.toString('base64'));
      expect(failure!.message).not.toContain(key.toString('hex'));
    }
  });

  it('refuses an encrypted payload that names no key', async () => {
    const [sealed] = await codec.encode([payloadOf(secretText)]);
    const { ['encryption-key-id']: _dropped, ...metadata } = sealed!.metadata!;
    await expect(codec.decode([{ ...sealed, metadata }])).rejects.toThrow(
      'an encrypted payload has no "encryption-key-id" metadata, so its key is unknown',
    );
  });
});
