import { randomUUID } from 'node:crypto';
import { Role } from '@a2a-js/sdk';

/** SendMessage params for the SDK client: a new task whose message is `text`. */
export function sendParams(text: string) {
  return {
    tenant: '',
    message: {
      messageId: randomUUID(),
      contextId: '',
      taskId: '',
      role: Role.ROLE_USER,
      parts: [{ content: { $case: 'text' as const, value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
  };
}
