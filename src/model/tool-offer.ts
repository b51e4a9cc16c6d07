import type { AgentToolRef, ToolRoute } from '../core/activity-contract';
import { handoffToolName, toolNameOf } from '../spec/tools';
import { ToolNotRegisteredError, type FunctionDefinition, type ToolRegistry } from '../tools/registry';
import { ModelCallError } from './errors';
import { MEMORY_TOOL_DEFINITIONS } from '../tools/memory-tool-definitions';
import type { McpServerSpec } from '../spec/mcp';
import { McpServerError } from '../mcp/mcp-errors';
import { mcpOffer } from '../mcp/mcp-offer';
import type { PinnedTool } from '../mcp/pinned-tools';

/** The tools one model call offers, and where each name the model may call goes. */
export interface ToolOffer {
  definitions: FunctionDefinition[];
  routes: Map<string, ToolRoute>;
}

/** The little of a remote agent's card a tool offer reads: its name, what it does, its skills. */
export interface ToolCard {
  name: string;
  description: string;
  skills: ToolCardSkill[];
}

export interface ToolCardSkill {
  id: string;
  name: string;
  description: string;
}

/** A remote tool's card could not be had. `retryable` says whether asking again later may help. */
export class ToolCardError extends Error {
  override readonly name = 'ToolCardError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface ToolOfferDeps {
  /** The worker's function tools. */
  registry: ToolRegistry;
  /** Reads (and caches) a remote agent's card, honouring the tool's host allowlist; fails with a ToolCardError. */
  remoteCard?: (ref: Extract<AgentToolRef, { kind: 'a2a' }>) => Promise<ToolCard>;
  /** An MCP server's tools as the run pinned them (see mcp/pinned-tools.ts); fails with an McpServerError. */
  mcpTools?: (server: McpServerSpec, runId: string) => Promise<PinnedTool[]>;
}

/**
 * Describes the agent's tools for its model: function tools from the worker's registry (their
 * JSON Schema generated from Zod), remote A2A agents from their cards, one tool per skill.
 * A tool the worker lacks, a skill the card lacks or two tools of one name fail the turn, since
 * no retry can fix them.
 */
export async function offerTools(refs: readonly AgentToolRef[], deps: ToolOfferDeps, who: string, runId: string): Promise<ToolOffer> {
  const offer: ToolOffer = { definitions: [], routes: new Map() };
  const add = (definition: FunctionDefinition, route: ToolRoute) => {
    const name = definition.function.name;
    if (offer.routes.has(name))
      refuse(`${who}: two of its tools are named "${name}"; give one a name of its own in the team file`, 'ToolConfigError');
    offer.definitions.push(definition);
    offer.routes.set(name, route);
  };
  for (const ref of refs) {
    if (ref.kind === 'handoff') {
      const name = handoffToolName(ref.target);
      add(
        { type: 'function', function: { name, description: ref.description, parameters: { type: 'object', properties: {} } } },
        { kind: 'handoff', target: ref.target },
      );
      continue;
    }
    if (ref.kind === 'memory') {
      add(MEMORY_TOOL_DEFINITIONS[ref.name], { kind: 'memory' });
      continue;
    }
    if (ref.kind === 'mcp') {
      for (const { definition, route } of await mcpToolsOffered(ref.server, deps, who, runId)) add(definition, route);
      continue;
    }
    if (ref.kind === 'function') {
      try {
        add(deps.registry.definition(ref.name), { kind: 'function' });
      } catch (err) {
        if (err instanceof ToolNotRegisteredError) refuse(`${who}: ${err.message}`, 'ToolNotRegistered');
        throw err;
      }
      continue;
    }
    const card = await cardOf(ref, deps, who);
    for (const skill of skillsOf(ref, card, who)) {
      const name = ref.name ?? toolNameOf(skill?.id ?? card.name);
      const description =
        ref.description ?? (skill ? `${skill.description} (skill "${skill.name}" of the remote agent ${card.name})` : card.description);
      add(
        {
          type: 'function',
          function: {
            name,
            description,
            parameters: {
              type: 'object',
              properties: {
                message: { type: 'string', description: `What to ask ${card.name}: the request in plain words, with everything it needs.` },
              },
              required: ['message'],
            },
          },
        },
        { kind: 'a2a', entry: ref.entry, skill: skill?.id ?? null, card: ref.card, cardName: card.name },
      );
    }
  }
  return offer;
}

/** The skill a tool addresses, each skill of the card, or (a card with none) the agent as a whole. */
function skillsOf(ref: Extract<AgentToolRef, { kind: 'a2a' }>, card: ToolCard, who: string): (ToolCardSkill | null)[] {
  if (ref.skill === null) return card.skills.length > 0 ? card.skills : [null];
  const skill = card.skills.find((s) => s.id === ref.skill) ?? card.skills.find((s) => s.name === ref.skill);
  if (!skill) {
    const have = card.skills.map((s) => `"${s.id}"`).join(', ') || 'none';
    refuse(`${who}: the agent card ${ref.card} has no skill "${ref.skill}" (its skills: ${have})`, 'ToolConfigError');
  }
  return [skill];
}

async function cardOf(ref: Extract<AgentToolRef, { kind: 'a2a' }>, deps: ToolOfferDeps, who: string): Promise<ToolCard> {
  if (!deps.remoteCard) refuse(`${who}: remote A2A tools can only be called by a worker`, 'ToolConfigError');
  try {
    return await deps.remoteCard(ref);
  } catch (err) {
    if (!(err instanceof ToolCardError)) throw err;
    throw new ModelCallError({
      message: `${who}: ${err.message}`,
      type: err.retryable ? 'RemoteAgentUnavailable' : 'RemoteAgentCardRefused',
      retryable: err.retryable,
    });
  }
}

/** A server's pinned tools as offered; a server that cannot list them fails the turn (retried when it may come back). */
async function mcpToolsOffered(server: McpServerSpec, deps: ToolOfferDeps, who: string, runId: string) {
  if (!deps.mcpTools)
    refuse(`${who}: MCP tools can only be called where MCP servers are reached (a worker, or runLocal)`, 'ToolConfigError');
  try {
    return mcpOffer(server, await deps.mcpTools(server, runId));
  } catch (err) {
    if (err instanceof McpServerError)
      throw new ModelCallError({ message: `${who}: ${err.message}`, type: 'McpServerUnavailable', retryable: err.retryable });
    return refuse(`${who}: ${(err as Error).message}`, 'ToolConfigError');
  }
}

function refuse(message: string, type: string): never {
  throw new ModelCallError({ message, type, retryable: false });
}
