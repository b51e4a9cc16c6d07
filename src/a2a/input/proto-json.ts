import { z } from 'zod';

/**
 * Pieces shared by the v1.0 and v0.3 schemas. The SDK decodes requests the protobuf-JSON way:
 * each field under its camelCase name or its proto (snake_case) name, and a value of the wrong
 * type coerced (`Number("abc")`, `Boolean("no")`, `String({})`) or dropped. We check the same
 * names strictly first, so what reaches the SDK is what its decoders read faithfully.
 */

/**
 * An object as protobuf JSON spells it: each multi-word field also under its snake_case name, and
 * null accepted for any field that may be left out, meaning "not given" (the SDK reads it so).
 */
export function protoObject<T extends z.ZodRawShape>(shape: T) {
  const withSnake: Record<string, z.ZodType> = {};
  // A required multi-word field may come under either name (`taskId` or `task_id`), but must come.
  const eitherName: { camel: string; snake: string; schema: z.ZodType }[] = [];
  for (const [key, given] of Object.entries(shape)) {
    const schema = given as z.ZodType;
    const optional = schema.safeParse(undefined).success;
    const field = optional ? schema.nullable() : schema;
    withSnake[key] = field;
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snake === key) continue;
    withSnake[snake] = field.optional();
    if (!optional) {
      withSnake[key] = field.optional();
      eitherName.push({ camel: key, snake, schema });
    }
  }
  // Unknown fields are let through: newer clients may send more than we read.
  return z
    .object(withSnake)
    .loose()
    .superRefine((value, ctx) => {
      for (const { camel, snake, schema } of eitherName) {
        if (value[camel] !== undefined || value[snake] !== undefined) continue;
        // Told as the field's own schema tells a missing value: "<path>.taskId: required (expected string)".
        for (const issue of schema.safeParse(undefined, { reportInput: true }).error?.issues ?? [])
          ctx.addIssue({ ...issue, path: [camel, ...issue.path] } as z.core.$ZodRawIssue);
      }
    });
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
