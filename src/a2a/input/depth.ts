/**
 * How deep a request may nest objects and arrays, counted from the request itself (a JSON-RPC
 * body, an HTTP+JSON body, a gRPC request message). The A2A shapes need at most six levels
 * (params.message.parts[i].data is the fifth); data parts and metadata are free-form, and the
 * SDK, the payload converter and JSON.stringify all walk them recursively: 5,000 levels overflow
 * the stack (a -32603 for the caller, a confusing failure for us), 3,500 were stored and then
 * broke every reader of the task. Structured data written by people and models rarely nests
 * past a dozen levels; 64 leaves a data part's value more than 55 of its own, and is far below
 * the few thousand where recursion fails.
 */
export const MAX_REQUEST_DEPTH = 64;

interface Visit {
  value: unknown;
  depth: number;
  key: string | number | null;
  parent: Visit | null;
}

/**
 * The path to the first object or array nested deeper than `limit` in `value` (which is level 1
 * when it is one), or null. Walked with a queue, not recursion: the value may be nested deeper
 * than the stack goes. Byte arrays (a gRPC file's raw bytes) are leaves.
 */
export function tooDeep(value: unknown, limit = MAX_REQUEST_DEPTH): (string | number)[] | null {
  const pending: Visit[] = [{ value, depth: 1, key: null, parent: null }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const node = visit.value;
    if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) continue;
    if (visit.depth > limit) return pathOf(visit);
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, child] of entries) pending.push({ value: child, depth: visit.depth + 1, key, parent: visit });
  }
  return null;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | null = visit; at?.key != null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** "params.message.parts[0].data.a.a…: ..." — the first steps of the path are enough to find the part. */
export function depthProblem(path: (string | number)[], prefix = '', limit = MAX_REQUEST_DEPTH): string {
  const shown = path
    .slice(0, 8)
    .reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key), prefix);
  return `${shown}${path.length > 8 ? '…' : ''}: nested more than ${limit} levels deep; a request may nest objects and arrays ${limit} levels deep at most`;
}
