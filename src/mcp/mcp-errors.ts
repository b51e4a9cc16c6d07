/**
 * An MCP server could not serve a call: it would not start or answer, it died, it answered what
 * is not MCP, or the worker lacks what its spec names. `retryable`: whether trying again later
 * may help (a server restarting), or never will (a variable the worker does not set).
 */
export class McpServerError extends Error {
  override readonly name = 'McpServerError';
  constructor(
    readonly server: string,
    detail: string,
    readonly retryable: boolean,
  ) {
    super(`MCP server "${server}" ${detail}`);
  }
}
