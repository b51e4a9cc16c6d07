import type { AgentCard } from '@a2a-js/sdk';
import type { TargetPolicy } from '../../http/outbound-target';
import type { SecretBox } from '../../secrets/sealed';
import type { TeamSpec } from '../../spec/team';
import type { TeamClient } from '../../client/team-client';
import type { FilePolicy } from '../file-policy';

export interface TeamHandlerSettings {
  team: TeamSpec;
  client: TeamClient;
  card: AgentCard;
  /** Largest message text taken, in characters. */
  maxMessageChars: number;
  /** Opens and seals push-notification secrets; null when no key is configured. */
  secrets: SecretBox | null;
  /** How long CancelTask waits for the run to end before answering with what it sees. */
  cancelWaitMs?: number;
  /** Which inward push URLs are allowed (none but what DURABLE_TEAMS_WEBHOOK_ALLOW names). */
  webhookPolicy: TargetPolicy;
  /** With tokens: approvals are answered by operators only, not by the task's owner. */
  operatorApprovals?: boolean;
  /** Which files a message may carry, and how big (default: DEFAULT_FILE_POLICY). */
  files?: FilePolicy;
  /** Where this team's files are served by URL (`<team url>a2a/files`); inlined when absent. */
  filesAt?: string;
}
