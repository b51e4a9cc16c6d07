import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKeyring } from './codec-keys';

/** Metadata of an encrypted payload, as Temporal's samples and codec servers in every SDK name it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const ENCODING_KEY = 'encoding';
export const KEY_ID_KEY = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

const text = (bytes: Uint8Array | null | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * Encrypts every payload (data and metadata alike, as one serialized Payload message) with
 * AES-256-GCM, so the Temporal server stores no conversation content in plaintext. The wrapper's
 * metadata names the key, so a history written before a key rotation still decodes as long as
 * the old key is kept. Data layout: IV (12 bytes) | ciphertext | auth tag (16 bytes).
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keyring: CodecKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyring.currentKeyId;
    const key = this.keyring.key(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_KEY]: Buffer.from(keyId) },
        data: sealed,
      };
    });
  }

  /** Payloads that are not encrypted pass through, so runs from before encryption was on still read. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (text(payload.metadata?.[ENCODING_KEY]) === ENCRYPTED_ENCODING ? this.decrypt(payload) : payload));
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_KEY]);
    if (!keyId) throw new PayloadDecryptionError(`an encrypted payload has no "${KEY_ID_KEY}" metadata, so its key is unknown`);
    const key = this.keyring.key(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key "${keyId}", which is not in ${this.keyring.source} (ids: ${this.keyring.ids.join(', ')}); add that key to read it`,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`a payload encrypted with key "${keyId}" is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `a payload encrypted with key "${keyId}" failed authentication: it was altered, or it was encrypted with another key of that id`,
      );
    }
    const inner = temporal.api.common.v1.Payload.decode(plain);
    // A plain object, as the SDK's own payloads are; not the protobufjs message instance.
    return {
      metadata: { ...inner.metadata },
      data: inner.data,
      ...(inner.externalPayloads?.length ? { externalPayloads: inner.externalPayloads } : {}),
    };
  }
}
