import type { McpServerSpec } from '../spec/mcp';
import type { ConversationStore } from '../store/conversation-store';
import { Lru } from '../store/lru';
import type { McpConnections } from './mcp-connections';
import { McpServerError } from './mcp-errors';

/** One of a server's tools as the run keeps it: what the model is shown, and what the server says of its effects. */
export interface PinnedTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
}

/** Where the run's list of a server's tools is kept: beside its conversation, one list per server. */
const pinKey = (runId: string, server: string) => `${runId}/mcp-tools/${server}`;

/**
 * Pins this process has read: a pin never changes once written, so each run's list is read from
 * the store once per process, not at every turn and call (bounded: 8 MiB of lists, by their JSON).
 */
const read = new Lru<string, PinnedTool[]>(8 * 2 ** 20, (tools) => JSON.stringify(tools).length);

/**
 * The server's tools as the run first saw them. The first turn that offers them lists them and
 * keeps the list in the store (first write wins: a retry or another worker gets the same); every
 * later turn of the run reads it back. So the model sees one stable set for the whole run, a
 * server cannot change a tool's description under it, and the run's replay never depends on what
 * the server says today. A new run (the next task of a context too) lists anew.
 */
export async function pinnedTools(
  store: ConversationStore,
  runId: string,
  server: McpServerSpec,
  connections: Pick<McpConnections, 'client' | 'drop' | 'failureOf'>,
): Promise<PinnedTool[]> {
  const key = pinKey(runId, server.name);
  const known = read.get(key);
  if (known) return known;
  const pinned =
    (await store.firstValues<PinnedTool[]>([key])).get(key) ?? (await store.putFirst(runId, key, await listTools(server, connections)));
  read.set(key, pinned);
  return pinned;
}

/** Every tool the server lists, page by page; a connection that fails at it is dropped, for the retry to make anew. */
async function listTools(server: McpServerSpec, connections: Pick<McpConnections, 'client' | 'drop' | 'failureOf'>): Promise<PinnedTool[]> {
  const client = await connections.client(server);
  const tools: PinnedTool[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      for (const tool of page.tools)
        tools.push({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          inputSchema: tool.inputSchema as Record<string, unknown>,
          ...(tool.annotations ? { annotations: tool.annotations } : {}),
        });
      cursor = page.nextCursor;
    } while (cursor);
  } catch (err) {
    const why = await connections.failureOf(server, err);
    await connections.drop(server);
    throw new McpServerError(server.name, `did not list its tools: ${why}`, true);
  }
  return tools;
}

/** Whether a call of the tool may be sent twice with no harm, as the server describes it. */
export function isIdempotent(tool: PinnedTool | undefined): boolean {
  const hints = tool?.annotations;
  if (!hints) return false;
  if (hints.readOnlyHint === true) return true;
  return hints.idempotentHint === true && hints.destructiveHint !== true;
}
