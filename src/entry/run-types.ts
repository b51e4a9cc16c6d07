// The shapes a run is read as, by the client and by runLocal alike: named here once, so that each
// entry point exports the same types and none reaches into core for them.
export type { Attachment, DataAttachment, FileAttachment } from '../core/attachments';
export type { Duration } from '../core/duration';
export type { RunEvent, RunEventType, SpeakerChoice } from '../core/events';
export type { FailedAttempt } from '../core/failed-attempt';
export type { HumanAction, HumanAnswer, InputKind, InputReason, PendingInput } from '../core/human';
export type { EventPage, TranscriptPage } from '../core/paging';
export type { PushConfig, PushConfigChange } from '../core/push';
export type { RunError, RunSnapshot } from '../core/state';
export type { RunStatus } from '../core/status';
export type { RunStall } from '../core/stall';
export type { TeamRunInput, TeamRunOptions, TeamRunResult } from '../../workflows/definitions';
