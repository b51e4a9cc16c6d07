/**
 * What a message carries besides its text: files (inline bytes or a URL) and structured data, as
 * A2A parts bring them. They live in the conversation store with the message's text, never in
 * workflow state or history (a record says nothing of them); readers get them with the body.
 */
export type Attachment = FileAttachment | DataAttachment;

export interface FileAttachment {
  kind: 'file';
  mediaType: string;
  /** The file's name, as the sender gave it. */
  name?: string;
  /** The bytes, base64 (exactly one of bytes and url). */
  bytes?: string;
  /** Where the file is (http or https; checked before anything may fetch it). */
  url?: string;
  /** An agent's file that A2A clients fetch from the front end rather than get inline (see FileOutputSpec). */
  byLink?: true;
}

export interface DataAttachment {
  kind: 'data';
  data: unknown;
}

/** The size of a file's bytes, decoded; 0 for a URL. */
export function fileSize(file: FileAttachment): number {
  if (!file.bytes) return 0;
  const padding = file.bytes.endsWith('==') ? 2 : file.bytes.endsWith('=') ? 1 : 0;
  return Math.floor((file.bytes.length * 3) / 4) - padding;
}

/** `image/png; charset=x` → `image/png` */
export const baseMediaType = (type: string): string => type.split(';', 1)[0]!.trim().toLowerCase();

/** One line naming an attachment, for transcripts and for readers of text only. */
export function describeAttachment(attachment: Attachment): string {
  if (attachment.kind === 'data') return `[data] ${JSON.stringify(attachment.data)}`;
  const name = attachment.name ? `${attachment.name}, ` : '';
  const where = attachment.url ? `at ${attachment.url}` : `${fileSize(attachment)} bytes`;
  return `[file: ${name}${attachment.mediaType || 'no media type'}, ${where}]`;
}

/** A message's text with its attachments named after it, for readers that take text only. */
export function textWithAttachments(content: string, attachments: readonly Attachment[] | undefined): string {
  if (!attachments?.length) return content;
  return [content, ...attachments.map(describeAttachment)].filter(Boolean).join('\n');
}
