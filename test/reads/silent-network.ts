import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP relay on loopback in front of a server (the Temporal dev server), whose network can go
 * silent: after `silence()` no byte passes either way, yet every connection stays open, as when a
 * link drops packets. A worker behind it goes on with what it was doing (its model call, its store
 * write), but nothing it sends reaches the server: not a heartbeat, not the activity's result.
 */
export interface SilentNetwork {
  /** host:port to give a client instead of the server's. */
  address: string;
  silence(): void;
  close(): Promise<void>;
}

export async function startSilentNetwork(target: string): Promise<SilentNetwork> {
  const colon = target.lastIndexOf(':');
  const [host, port] = [target.slice(0, colon), Number(target.slice(colon + 1))];
  let silent = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, host);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk: Buffer) => {
        if (!silent) to.write(chunk);
      });
      from.on('error', end);
      from.on('close', () => {
        sockets.delete(from);
        end();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    silence: () => void (silent = true),
    close: () => {
      silent = true;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
