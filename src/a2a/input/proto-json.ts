import { z } from 'zod';

/**
 * Pieces shared by the v1.0 and v0.3 schemas. The SDK decodes requests the protobuf-JSON way:
 * each field under its camelCase name or its proto (snake_case) name, and a value of the wrong
 * type coerced (`Number("abc")`, `Boolean("no")`, `String({})`) or dropped. We check the same
 * names strictly first, so what reaches the SDK is what its decoders read faithfully.
 */

/** Adds each multi-word field again under its snake_case name, as protobuf JSON allows. */
export function protoObject<T extends z.ZodRawShape>(shape: T) {
  const withSnake: Record<string, z.core.$ZodType> = { ...shape };
  for (const [key, schema] of Object.entries(shape)) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snake !== key) withSnake[snake] = (schema as z.ZodType).optional();
  }
  // Unknown fields are let through: newer clients may send more than we read.
  return z.object(withSnake).loose();
}

/** A JSON object of anything: metadata. The SDK drops a string silently and lets a list through. */
export const metadata = z.record(z.string(), z.unknown()).optional();

export const str = z.string().optional();
export const strList = z.array(z.string()).optional();
export const bool = z.boolean().optional();
/** Counts (historyLength, pageSize): a JSON integer; "3", [3] and {"n":3} are refused. */
export const count = z.int().optional();
/** A required id: present, a string, and not empty. */
export const id = z.string().min(1, 'must not be empty');
