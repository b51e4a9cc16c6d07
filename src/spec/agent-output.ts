import { z } from 'zod';

/**
 * What an agent's reply is, besides its text: JSON matching a schema (structured output, which
 * becomes a data part), or a file (its text, named and typed, which becomes a file part). A2A
 * clients get it as the task's final-answer artifact when the agent has the last word.
 */
export type AgentOutputSpec = JsonOutputSpec | FileOutputSpec;

export interface JsonOutputSpec {
  type: 'json';
  /** A JSON Schema the reply must match; sent to the model as its response format. */
  schema: Record<string, unknown>;
  /** The schema's name, as the model API wants one. Default: "<agent>_output". */
  name?: string;
}

export interface FileOutputSpec {
  type: 'file';
  /** The file's name, e.g. "report.md". */
  name: string;
  /** Default: from the name's extension (text/markdown, text/plain, ...), else text/plain. */
  mediaType?: string;
  /**
   * How A2A clients get it in the task's artifact: `inline` bytes (the default), or a `url` the
   * front end serves it at (behind the same auth), for files too big to send with every GetTask.
   */
  deliver?: 'inline' | 'url';
}

export const AgentOutputSchema: z.ZodType<AgentOutputSpec> = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('json'),
      schema: z.record(z.string(), z.unknown(), { error: 'expected a JSON Schema (an object)' }),
      name: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected letters, digits, _ or -, at most 64')
        .optional(),
    }),
    z.strictObject({
      type: z.literal('file'),
      name: z.string().regex(/^[^/\\]+$/, 'expected a file name, without folders'),
      mediaType: z
        .string()
        .regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a media type such as text/markdown')
        .optional(),
      deliver: z.enum(['inline', 'url'], { error: 'expected "inline" or "url"' }).optional(),
    }),
  ],
  { error: 'expected `type` to be "json" or "file"' },
);

const BY_EXTENSION: Record<string, string> = {
  md: 'text/markdown',
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  xml: 'application/xml',
};

/** The media type a file output is given. */
export function fileOutputType(output: FileOutputSpec): string {
  if (output.mediaType) return output.mediaType;
  const extension = output.name.includes('.') ? output.name.split('.').pop()!.toLowerCase() : '';
  return BY_EXTENSION[extension] ?? 'text/plain';
}
