/**
 * What of spec/ the package offers its users: the builder, the termination conditions, parsing a
 * team file (with its errors) and the schema, and the types a team is made of. Chosen by name: the
 * rest of spec/ (field shapes, helpers the core and the workflows share) is the project's own.
 */
export { team, TeamBuilder } from './builder';
export {
  allOf,
  anyOf,
  external,
  functionCall,
  handoffTo,
  maxMessages,
  sourceMatch,
  stopMessage,
  textMention,
  timeout,
  tokenUsage,
} from './conditions';
export { parseTeamSpec, parseTeamText } from './parse';
export { SpecError, type SpecProblem } from './errors';
export { TeamSchema } from './team';
export type { TeamPattern, TeamSpec } from './team';
export type {
  AgentSpec,
  HumanAgentSpec,
  InlineAgentCard,
  LlmAgentSpec,
  NestedTeamAgentSpec,
  RemoteAgentSpec,
  RemoteAuthSpec,
} from './agent';
export type { AgentOutputSpec, FileOutputSpec, JsonOutputSpec } from './agent-output';
export type { ApprovalSpec, HandoffSpec, HumanTimeoutSpec } from './human';
export type { BudgetSpec, ModelPrice } from './budget';
export type { RunBudget } from './run-budget';
export type { DurationSpec } from './duration-schema';
export type { MemoryScope, MemorySpec } from './memory';
export type { ModelContextSpec } from './model-context';
export type { ModelSettings } from './model-settings';
export type { NotifyEvent, NotifySpec } from './notify';
export type { RetrySpec, TimeoutsSpec } from './retry';
export type { SelectorSpec } from './selector';
export type { TerminationSpec, TerminationType } from './termination';
export type {
  FunctionToolSpec,
  HandoffTargetSpec,
  HandoffUseSpec,
  RemoteToolSpec,
  ToolApprovalSpec,
  ToolOptionsSpec,
  ToolUseSpec,
} from './tools';
export type { DeploysSpec } from './deploys';
export type { McpServerSpec } from './mcp';
