import { resolve } from 'node:path';
import type { ToolDefinition } from '../tools/define-tool';

/**
 * Reads function tools from a module of the user's: `export const tools = [defineTool(...), ...]`
 * (or a default export of that list), CommonJS or ESM JavaScript. Errors name the file and what
 * in it is wrong.
 */
export function loadToolsModule(path: string): ToolDefinition[] {
  const file = resolve(path);
  let loaded: Record<string, unknown>;
  try {
    // A path known only at run time; Node >= 20.19 requires ES modules too.
    loaded = require(file) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`--tools ${path}: cannot load the module (${(err as Error).message})`);
  }
  const list = loaded.tools ?? (loaded.default as Record<string, unknown> | undefined)?.tools ?? loaded.default;
  if (!Array.isArray(list)) throw new Error(`--tools ${path}: export \`tools\`, a list of tools made with defineTool (found ${list === undefined ? 'no such export' : typeof list})`);
  list.forEach((tool: unknown, i) => {
    const t = tool as Partial<ToolDefinition> | null;
    const problem =
      !t || typeof t !== 'object'
        ? 'is not an object'
        : typeof t.name !== 'string'
          ? 'has no name'
          : typeof t.description !== 'string'
            ? 'has no description'
            : typeof (t.input as { safeParse?: unknown } | undefined)?.safeParse !== 'function'
              ? 'has no Zod input schema'
              : typeof t.run !== 'function'
                ? 'has no run function'
                : null;
    if (problem) throw new Error(`--tools ${path}: tools[${i}]${t && typeof t.name === 'string' ? ` ("${t.name}")` : ''} ${problem}`);
  });
  return list as ToolDefinition[];
}
