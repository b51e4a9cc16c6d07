import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerSpec } from '../spec/mcp';
import { CallsInFlight } from './live-mcp-call';
import { McpServerError } from './mcp-errors';

/** What a server is reached through: the part of its spec that makes the connection. */
const connectionKey = (server: McpServerSpec) =>
  JSON.stringify([server.command, server.args, server.cwd, server.env, server.envFrom, server.url, server.headers, server.headersFrom]);

/** How long a server has to answer `initialize`: one that says nothing (or nothing MCP) in this time is taken as down. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The last stderr lines a stdio server wrote, kept to say why it died. */
const STDERR_KEPT = 2_000;

/** A server's connection: its client, and the calls in flight on it (a question the server asks goes to one). */
export interface McpSession {
  client: Client;
  inFlight: CallsInFlight;
}

interface Connection extends McpSession {
  /** What a stdio server last wrote on stderr, secrets taken out. */
  stderr: () => string;
  /** Takes the values of the server's `envFrom` and `headersFrom` out of a text. */
  redact: (text: string) => string;
}

/**
 * The worker's connections to MCP servers, one per server (as its team file describes it), made
 * on first use and shared by every run and call of the worker: a stdio server is one process,
 * started once and started again when it dies; an HTTP session is reused, and made again when
 * the server forgets it. Secrets named by `envFrom` and `headersFrom` are read here, from the
 * worker's environment, and go nowhere else.
 */
export class McpConnections {
  private readonly open = new Map<string, Promise<Connection>>();

  constructor(private readonly env: Record<string, string | undefined> = process.env) {}

  /** A connected client for the server; a server that cannot be started or reached throws McpServerError. */
  async client(server: McpServerSpec): Promise<Client> {
    return (await this.connection(server)).client;
  }

  /** The server's client with the calls in flight on it, for a call that may be asked a question. */
  async session(server: McpServerSpec): Promise<McpSession> {
    return this.connection(server);
  }

  /**
   * Why the server broke off, as an error can say it: the error's words and the last of what the
   * server wrote on stderr, with the values of its secrets taken out. Asked before `drop`.
   */
  async failureOf(server: McpServerSpec, err: unknown): Promise<string> {
    const connection = await this.open.get(connectionKey(server))?.catch(() => null);
    const message = (err as Error).message;
    if (!connection) return message;
    const said = connection.stderr().trim();
    return connection.redact(`${message}${said ? ` (it said: ${said.slice(-300)})` : ''}`);
  }

  /** Forgets the server's connection (closing it), so the next call makes a new one. */
  async drop(server: McpServerSpec): Promise<void> {
    const key = connectionKey(server);
    const connection = this.open.get(key);
    this.open.delete(key);
    await (await connection?.catch(() => null))?.client.close().catch(() => undefined);
  }

  /** Closes every connection (stdio servers end with their stdin): the worker's shutdown. */
  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (c) => (await c.catch(() => null))?.client.close().catch(() => undefined)));
  }

  private connection(server: McpServerSpec): Promise<Connection> {
    const key = connectionKey(server);
    const held = this.open.get(key);
    if (held) return held;
    // Forgets this connection only, not a newer one made since under the same key.
    const forget = () => this.open.get(key) === connection && this.open.delete(key);
    const connection = this.connect(server, forget);
    this.open.set(key, connection);
    // A connection that failed to open is not kept: the next call tries again.
    connection.catch(forget);
    return connection;
  }

  private async connect(server: McpServerSpec, forget: () => void): Promise<Connection> {
    let stderr = '';
    const secretEnv = this.fromEnv(server, server.envFrom, 'envFrom');
    const secretHeaders = this.fromEnv(server, server.headersFrom, 'headersFrom');
    // A server may echo what it was given (a token it refuses, say): errors never carry it on.
    const redact = redactor([...Object.values(secretEnv), ...Object.values(secretHeaders)]);
    const transport: Transport = server.command
      ? new StdioClientTransport({
          command: server.command,
          args: server.args ?? [],
          ...(server.cwd ? { cwd: server.cwd } : {}),
          env: { ...getDefaultEnvironment(), ...server.env, ...secretEnv },
          stderr: 'pipe',
        })
      : new StreamableHTTPClientTransport(new URL(server.url!), { requestInit: { headers: { ...server.headers, ...secretHeaders } } });
    if (transport instanceof StdioClientTransport)
      transport.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)));
    // Forms only: a URL to open (elicitation's other mode) has no way to a person through a run.
    const client = new Client({ name: 'durable-teams', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    const inFlight = new CallsInFlight();
    // A question with no call in flight to carry it to a person is declined.
    client.setRequestHandler(ElicitRequestSchema, ({ params }) =>
      params.mode === 'url' ? { action: 'decline' } : (inFlight.asker()?.ask(params) ?? { action: 'decline' }),
    );
    // A stdio server that exits, or a session that ends: the next call connects anew.
    client.onclose = forget;
    try {
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
    } catch (err) {
      await client.close().catch(() => undefined); // a process that started stays no longer
      const why = stderr.trim() ? ` (it said: ${stderr.trim().split('\n').slice(-3).join(' | ')})` : '';
      throw new McpServerError(
        server.name,
        redact(`could not be ${server.command ? 'started' : 'reached'}: ${(err as Error).message}${why}`),
        true,
      );
    }
    return { client, inFlight, stderr: () => redact(stderr), redact };
  }

  private fromEnv(server: McpServerSpec, names: Record<string, string> | undefined, field: string): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [key, variable] of Object.entries(names ?? {})) {
      const value = this.env[variable];
      // The variable's name only: never its value.
      if (value === undefined)
        throw new McpServerError(server.name, `${field}.${key} names ${variable}, which this worker's environment does not set`, false);
      values[key] = value;
    }
    return values;
  }
}

/** Replaces each secret (of four characters or more: shorter ones would blank ordinary words) with ***. */
function redactor(secrets: string[]): (text: string) => string {
  const kept = secrets.filter((secret) => secret.length >= 4);
  return (text) => kept.reduce((out, secret) => out.split(secret).join('***'), text);
}
