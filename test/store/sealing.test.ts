import { temporal } from '@temporalio/proto';
import { codecKeyringFromEnv } from '../../src/temporal/codec/codec-keys';
import { AesGcmCodec } from '../../src/temporal/codec/aes-gcm-codec';
import { sealBytes, unsealBytes } from '../../src/store/sealing';
import { codecEnv, newKey } from '../codec/codec-env';

const codecWith = (keys: Record<string, string>, current?: string) => new AesGcmCodec(codecKeyringFromEnv(codecEnv(keys, current))!);
const message = { role: 'writer', text: 'the PLUM-42 memo, first draft', toolCalls: [{ name: 'search', arguments: '{"q":"plums"}' }] };

describe('sealing what the store keeps', () => {
  const keyA = newKey();
  const keyB = newKey();

  test('without a codec, a value round-trips (as a plain JSON payload)', async () => {
    const sealed = await sealBytes(message);
    expect(Buffer.from(sealed).toString('latin1')).toContain('PLUM-42');
    expect(await unsealBytes(sealed)).toEqual(message);
  });

  test('with the AES-GCM codec, the bytes hold no plaintext, and round-trip', async () => {
    const codec = codecWith({ a: keyA });
    const sealed = await sealBytes(message, codec);
    const raw = Buffer.from(sealed).toString('latin1');
    for (const plain of ['PLUM-42', 'writer', 'plums', 'json/plain']) expect(raw).not.toContain(plain);
    expect(await unsealBytes(sealed, codec)).toEqual(message);
  });

  test('after a rotation, bytes written under key A read with the keyring A,B (B current)', async () => {
    const sealed = await sealBytes(message, codecWith({ a: keyA }));
    const rotated = codecWith({ b: keyB, a: keyA }, 'b');
    expect(await unsealBytes(sealed, rotated)).toEqual(message);
    const rewritten = temporal.api.common.v1.Payload.decode(await sealBytes(message, rotated));
    expect(Buffer.from(rewritten.metadata['encryption-key-id']!).toString()).toBe('b');
  });

  test("without the key they were written with, reading fails with the codec's own error, naming the key", async () => {
    const sealed = await sealBytes(message, codecWith({ a: keyA }));
    await expect(unsealBytes(sealed, codecWith({ b: keyB }))).rejects.toMatchObject({
      name: 'PayloadDecryptionError',
      message: expect.stringContaining('encrypted with key "a"'),
    });
  });
});
