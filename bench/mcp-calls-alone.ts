import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { McpConnections } from '../src/mcp/mcp-connections';
import { startDevServer } from '../src/temporal/dev-server';
import { startTestWorker } from '../src/testing/temporal-env';
import { benchMcpCalls } from './mcp-calls';
import { runSectionAlone } from './section-alone';
import { benchTools } from './tool-calls';

// `node dist/bench/mcp-calls-alone.js`: the MCP calls section by itself, on a dev server of its own.
runSectionAlone(async (log) => {
  installRuntimeLogging('ERROR');
  const server = await startDevServer({});
  const mcp = new McpConnections();
  const worker = await startTestWorker({ address: server.address, tools: benchTools, mcp });
  try {
    return await benchMcpCalls(worker.client, log);
  } finally {
    await worker.stop();
    await mcp.close();
    await server.stop();
  }
});
