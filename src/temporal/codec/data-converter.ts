import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { codecKeyringFromEnv } from './codec-keys';

/** The payload codec this environment asks for (DURABLE_TEAMS_CODEC_KEYS), or null when encryption is off. */
export function payloadCodecFromEnv(env: Record<string, string | undefined> = process.env): AesGcmCodec | null {
  const keyring = codecKeyringFromEnv(env);
  return keyring ? new AesGcmCodec(keyring) : null;
}

/**
 * The data converter for clients and workers built from this environment, or undefined (the SDK's
 * default) when encryption is off. Workers and every client that reads runs must agree on it; a
 * connection's other settings (TLS, API keys) are independent of it and compose with it.
 */
export function dataConverterFromEnv(env: Record<string, string | undefined> = process.env): DataConverter | undefined {
  const codec = payloadCodecFromEnv(env);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
