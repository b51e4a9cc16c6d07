import type { Part } from '@a2a-js/sdk';
import type { Attachment } from '../core/attachments';

/** An attachment as the SDK's A2A part: inline bytes as `raw`, a URL as `url`, data as `data`. */
export function a2aPartOf(attachment: Attachment): Part {
  const base = { metadata: undefined, filename: '', mediaType: '' };
  if (attachment.kind === 'data') return { ...base, content: { $case: 'data', value: attachment.data }, mediaType: 'application/json' };
  const content: Part['content'] =
    attachment.bytes !== undefined
      ? { $case: 'raw', value: Buffer.from(attachment.bytes, 'base64') }
      : { $case: 'url', value: attachment.url! };
  return { ...base, content, filename: attachment.name ?? '', mediaType: attachment.mediaType };
}
