import { z } from 'zod';
import { fileNameField, mediaTypeField } from './file-fields';
import { bool, count, id, metadata, protoObject, str, strList } from './proto-json';

/**
 * A2A v1.0 request shapes (the proto's JSON names), one per method, for JSON-RPC params and
 * HTTP+JSON bodies alike. Each names every field the SDK's decoders read (see the SDK's
 * `*.fromJSON`), typed as the proto declares it.
 */

const Part = protoObject({
  text: str,
  data: z.unknown().optional(),
  url: str,
  raw: z.base64({ error: 'expected base64 bytes' }).optional(),
  mediaType: mediaTypeField,
  filename: fileNameField,
  metadata,
}).refine((part) => ['text', 'data', 'url', 'raw'].filter((k) => part[k] != null).length === 1, {
  message: 'a part has exactly one of text, data, url or raw',
});

export const Message = protoObject({
  messageId: z.string().min(1, 'messageId must not be empty'),
  contextId: str,
  taskId: str,
  role: z.enum(['ROLE_USER', 'ROLE_AGENT'], { error: 'role must be "ROLE_USER" (or "ROLE_AGENT")' }),
  parts: z.array(Part).min(1, 'parts must hold at least one part'),
  metadata,
  extensions: strList,
  referenceTaskIds: strList,
});

const AuthenticationInfo = protoObject({ scheme: str, credentials: str });

/** A push config as given inside SendMessage's configuration, or created on its own. */
const pushConfigFields = {
  tenant: str,
  id: str,
  taskId: str,
  url: z.string().min(1, 'url must not be empty'),
  token: str,
  authentication: AuthenticationInfo.optional(),
};

const SendMessageConfiguration = protoObject({
  acceptedOutputModes: strList,
  taskPushNotificationConfig: protoObject(pushConfigFields).optional(),
  historyLength: count,
  returnImmediately: bool,
});

export const SendMessageRequest = protoObject({
  tenant: str,
  message: Message,
  configuration: SendMessageConfiguration.optional(),
  metadata,
});

const TASK_STATES = [
  'TASK_STATE_UNSPECIFIED',
  'TASK_STATE_SUBMITTED',
  'TASK_STATE_WORKING',
  'TASK_STATE_COMPLETED',
  'TASK_STATE_FAILED',
  'TASK_STATE_CANCELED',
  'TASK_STATE_INPUT_REQUIRED',
  'TASK_STATE_REJECTED',
  'TASK_STATE_AUTH_REQUIRED',
] as const;

/** A state by its name, or by its number as protobuf JSON allows; anything else the SDK reads as "unrecognized". */
export const TaskState = z.union(
  [
    z.enum(TASK_STATES),
    z
      .int()
      .min(0)
      .max(TASK_STATES.length - 1),
  ],
  {
    error: `expected a task state (${TASK_STATES.slice(1).join(', ')})`,
  },
);

/** Read as a time by the listing; a string that is none would be a confusing answer later. */
const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an RFC 3339 timestamp')
  .optional();

export const ListTasksRequest = protoObject({
  tenant: str,
  contextId: str,
  status: TaskState.optional(),
  pageSize: count,
  pageToken: str,
  historyLength: count,
  statusTimestampAfter: timestamp,
  includeArtifacts: bool,
});

const byId = protoObject({ tenant: str, id });
const byTaskAndId = protoObject({ tenant: str, taskId: id, id });

/** JSON-RPC v1.0 method → its params. */
export const V1_METHODS: Record<string, z.ZodType> = {
  SendMessage: SendMessageRequest,
  SendStreamingMessage: SendMessageRequest,
  GetTask: protoObject({ tenant: str, id, historyLength: count }),
  ListTasks: ListTasksRequest,
  CancelTask: protoObject({ tenant: str, id, metadata }),
  SubscribeToTask: byId,
  CreateTaskPushNotificationConfig: protoObject({ ...pushConfigFields, taskId: id }),
  GetTaskPushNotificationConfig: byTaskAndId,
  DeleteTaskPushNotificationConfig: byTaskAndId,
  ListTaskPushNotificationConfigs: protoObject({ tenant: str, taskId: id, pageSize: count, pageToken: str }),
  GetExtendedAgentCard: protoObject({ tenant: str }).nullish(),
};

/** HTTP+JSON v1.0: the body of POST …/tasks/{id}/pushNotificationConfigs (the task id is the path's). */
export const RestPushConfigBody = protoObject({ ...pushConfigFields, taskId: str });

/**
 * HTTP+JSON v1.0 query strings. Every value arrives as a string (or a list, when repeated); the
 * SDK reads numbers with parseInt, so "3abc" was 3, and any includeArtifacts but "true" was false.
 */
const digits = z.string().regex(/^\d+$/, 'expected a non-negative integer').optional();
const flag = z.enum(['true', 'false'], { error: 'expected "true" or "false"' }).optional();
const text = z.string().optional();

export const RestTenantQuery = z.object({ tenant: text }).loose();
export const RestGetTaskQuery = z.object({ tenant: text, historyLength: digits }).loose();
export const RestListTasksQuery = z
  .object({
    tenant: text,
    contextId: text,
    status: z
      .union([z.enum(TASK_STATES), z.string().regex(/^[0-8]$/)], { error: `expected a task state (${TASK_STATES.slice(1).join(', ')})` })
      .optional(),
    pageSize: digits,
    pageToken: text,
    historyLength: digits,
    statusTimestampAfter: timestamp,
    includeArtifacts: flag,
  })
  .loose();
