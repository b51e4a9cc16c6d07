import { z } from 'zod';
import { TOOL_NAME_PATTERN } from '../spec/tools';
import type { ToolDefinition } from './define-tool';

/** A tool as the OpenAI chat API takes it. */
export interface FunctionDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** A tool the team names that no worker registered: a deployment mistake, not the model's. */
export class ToolNotRegisteredError extends Error {
  override readonly name = 'ToolNotRegisteredError';
}

/**
 * The worker's tools by name, each with the JSON Schema the model sees, generated once from its
 * Zod schema so the two never disagree.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, { tool: ToolDefinition; definition: FunctionDefinition }>();

  constructor(tools: readonly ToolDefinition[] = []) {
    for (const tool of tools) {
      if (!TOOL_NAME_PATTERN.test(tool.name)) {
        throw new Error(`tool "${tool.name}": a name is letters, digits, "_" or "-" (64 characters at most), as the model calls it`);
      }
      if (this.tools.has(tool.name)) throw new Error(`tool "${tool.name}" is registered twice`);
      this.tools.set(tool.name, { tool, definition: functionDefinition(tool) });
    }
  }

  get names(): string[] {
    return [...this.tools.keys()];
  }

  /** The tool, or a ToolNotRegisteredError naming the ones this worker has. */
  get(name: string): ToolDefinition {
    const found = this.tools.get(name);
    if (!found) {
      const have = this.names.length > 0 ? `this worker has ${this.names.map((n) => `"${n}"`).join(', ')}` : 'this worker has none';
      throw new ToolNotRegisteredError(`tool "${name}" is not registered on this worker (${have}); register it with the worker's tools`);
    }
    return found.tool;
  }

  definition(name: string): FunctionDefinition {
    this.get(name);
    return this.tools.get(name)!.definition;
  }
}

function functionDefinition(tool: ToolDefinition): FunctionDefinition {
  let parameters: Record<string, unknown>;
  try {
    parameters = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`tool "${tool.name}": its input schema has no JSON Schema form (${(err as Error).message})`);
  }
  delete parameters.$schema;
  if (parameters.type !== 'object')
    throw new Error(`tool "${tool.name}": the input schema must be an object (z.object), as function arguments are`);
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
}
