import { z } from 'zod';
import { fileNameField, mediaTypeField } from './file-fields';
import { bool, count, id, metadata, protoObject, str, strList } from './proto-json';

/**
 * A2A v0.3 request shapes, for clients that speak the older protocol (no A2A-Version header, or
 * 0.3). Two encodings: JSON-RPC's own JSON (kind-tagged parts, "user"/"agent"), which the SDK's
 * compat layer hands on without checking types, and the v0.3 HTTP+JSON routes (/v1/…), which
 * carry v0.3's protobuf JSON and are decoded with the same silent coercion as v1.0.
 */

const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape).loose();

const Part = z.discriminatedUnion(
  'kind',
  [
    object({ kind: z.literal('text'), text: z.string(), metadata }),
    object({ kind: z.literal('data'), data: z.record(z.string(), z.unknown()), metadata }),
    object({ kind: z.literal('file'), file: object({ name: fileNameField, mimeType: mediaTypeField, bytes: str, uri: str }), metadata }),
  ],
  { error: 'kind must be "text", "data" or "file"' },
);

const Message = object({
  kind: z.literal('message').optional(),
  messageId: z.string().min(1, 'messageId must not be empty'),
  contextId: str,
  taskId: str,
  role: z.enum(['user', 'agent'], { error: 'role must be "user" (or "agent")' }),
  parts: z.array(Part).min(1, 'parts must hold at least one part'),
  metadata,
  extensions: strList,
  referenceTaskIds: strList,
});

const PushNotificationConfig = object({
  id: str,
  url: z.string().min(1, 'url must not be empty'),
  token: str,
  authentication: object({ schemes: z.array(z.string()), credentials: str }).optional(),
});

const SendParams = object({
  message: Message,
  configuration: object({
    acceptedOutputModes: strList,
    historyLength: count,
    pushNotificationConfig: PushNotificationConfig.optional(),
    blocking: bool,
  }).optional(),
  metadata,
});

const TaskIdParams = object({ id, metadata });

/** JSON-RPC v0.3 method → its params. */
export const V03_METHODS: Record<string, z.ZodType> = {
  'message/send': SendParams,
  'message/stream': SendParams,
  'tasks/get': object({ id, historyLength: count, metadata }),
  'tasks/cancel': TaskIdParams,
  'tasks/resubscribe': TaskIdParams,
  'tasks/pushNotificationConfig/set': object({ taskId: id, pushNotificationConfig: PushNotificationConfig }),
  'tasks/pushNotificationConfig/get': object({ id, pushNotificationConfigId: str, metadata }),
  'tasks/pushNotificationConfig/list': TaskIdParams,
  'tasks/pushNotificationConfig/delete': object({ id, pushNotificationConfigId: id, metadata }),
  'agent/getAuthenticatedExtendedCard': z.unknown(),
};

/* v0.3 HTTP+JSON (/v1/…): v0.3's protobuf JSON. */

const ProtoPart = protoObject({
  text: str,
  file: protoObject({ fileWithUri: str, fileWithBytes: str, mimeType: mediaTypeField, name: fileNameField }).optional(),
  data: protoObject({ data: z.record(z.string(), z.unknown()) }).optional(),
  metadata,
}).refine((part) => ['text', 'file', 'data'].filter((k) => part[k] != null).length === 1, {
  message: 'a part has exactly one of text, file or data',
});

const ProtoMessage = protoObject({
  messageId: z.string().min(1, 'messageId must not be empty'),
  contextId: str,
  taskId: str,
  role: z.enum(['ROLE_USER', 'ROLE_AGENT'], { error: 'role must be "ROLE_USER" (or "ROLE_AGENT")' }),
  content: z.array(ProtoPart).min(1, 'content must hold at least one part'),
  metadata,
  extensions: strList,
});

const ProtoPushConfig = protoObject({
  id: str,
  url: z.string().min(1, 'url must not be empty'),
  token: str,
  authentication: protoObject({ schemes: strList, credentials: str }).optional(),
});

/** The message goes under "message" (or the proto's older "request"); one of them is needed. */
export const RestV03SendBody = protoObject({
  message: ProtoMessage.optional(),
  request: ProtoMessage.optional(),
  configuration: protoObject({
    acceptedOutputModes: strList,
    pushNotification: ProtoPushConfig.optional(),
    historyLength: count,
    blocking: bool,
  }).optional(),
  metadata,
}).refine((body) => body.message != null || body.request != null, { message: 'message is required', path: ['message'] });

export const RestV03PushConfigBody = protoObject({ name: str, pushNotificationConfig: ProtoPushConfig });

export const RestV03GetTaskQuery = z
  .object({
    historyLength: z.string().regex(/^\d+$/, 'expected a non-negative integer').optional(),
    history_length: z.string().regex(/^\d+$/, 'expected a non-negative integer').optional(),
  })
  .loose();
