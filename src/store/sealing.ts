import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * What the store keeps of a value: the Temporal Payload the default converter makes of it,
 * passed through the payload codec when there is one (AES-GCM: then the store holds no
 * plaintext, and key rotation works as it does for history), as protobuf bytes. The same
 * codec that protects a run's history protects its conversation.
 */
export async function sealBytes(value: unknown, codec?: PayloadCodec): Promise<Uint8Array> {
  const payload = defaultPayloadConverter.toPayload(value);
  const [sealed] = codec ? await codec.encode([payload]) : [payload];
  return temporal.api.common.v1.Payload.encode(sealed!).finish();
}

/** The value sealBytes sealed. A codec key that is missing fails with the codec's own error. */
export async function unsealBytes<T>(data: Uint8Array, codec?: PayloadCodec): Promise<T> {
  const stored = temporal.api.common.v1.Payload.decode(data);
  const payload: Payload = { metadata: { ...stored.metadata }, data: stored.data };
  const [opened] = codec ? await codec.decode([payload]) : [payload];
  return defaultPayloadConverter.fromPayload<T>(opened!);
}

/** The converter's codecs as one, applied in the order Temporal applies them. */
export function singleCodec(codecs: PayloadCodec[] | undefined): PayloadCodec | undefined {
  if (!codecs?.length) return undefined;
  if (codecs.length === 1) return codecs[0];
  return {
    encode: async (payloads) => {
      for (const codec of [...codecs].reverse()) payloads = await codec.encode(payloads);
      return payloads;
    },
    decode: async (payloads) => {
      for (const codec of codecs) payloads = await codec.decode(payloads);
      return payloads;
    },
  };
}
