import { resolve } from 'node:path';
import type { ToolDefinition } from '../tools/define-tool';
import type { SpeakerFunctions } from '../tools/speaker-functions';

/** What a worker's code module gives it. */
export interface WorkerCode {
  tools: ToolDefinition[];
  speakerFunctions: SpeakerFunctions;
}

/**
 * Reads a module of the user's, CommonJS or ESM JavaScript: `tools` (a list made with defineTool,
 * or the default export), and optionally `selectors` and `candidateFilters` (objects of functions
 * by the names team files use). Errors name the file and what in it is wrong.
 */
export function loadToolsModule(path: string): WorkerCode {
  const file = resolve(path);
  let loaded: Record<string, unknown>;
  try {
    // A path known only at run time; Node >= 20.19 requires ES modules too.
    loaded = require(file) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`--tools ${path}: cannot load the module (${(err as Error).message})`);
  }
  const exported = (name: string) => loaded[name] ?? (loaded.default as Record<string, unknown> | undefined)?.[name];
  const list = exported('tools') ?? (exported('selectors') || exported('candidateFilters') ? [] : loaded.default);
  if (!Array.isArray(list))
    throw new Error(
      `--tools ${path}: export \`tools\`, a list of tools made with defineTool (found ${list === undefined ? 'no such export' : typeof list})`,
    );
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
  const functions = (name: 'selectors' | 'candidateFilters') => {
    const found = exported(name);
    if (found === undefined) return {};
    const bad = typeof found === 'object' && found !== null ? Object.entries(found).find(([, f]) => typeof f !== 'function') : ['', found];
    if (bad)
      throw new Error(
        `--tools ${path}: \`${name}\` must be an object of functions by name${bad[0] ? ` ("${bad[0]}" is not a function)` : ''}`,
      );
    return found as Record<string, never>;
  };
  return {
    tools: list as ToolDefinition[],
    speakerFunctions: { selectors: functions('selectors'), candidateFilters: functions('candidateFilters') },
  };
}
