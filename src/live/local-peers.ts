import { unlink } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { socketsIn } from './local-rendezvous';

/** How old the list of peers may be before a publish reads the folder again: a new watcher is heard this soon. */
export const RESCAN_MS = 250;

interface Peer {
  socket: Socket;
  /** The socket's buffer is full: until it drains, what is sent to this peer is dropped. */
  backedUp: boolean;
}

/**
 * The publishing side of the local channel: one connection kept open to each process listening in
 * the rendezvous folder, written in the order batches are sent (so one run's batches arrive in
 * order). Writing never waits on a reader: a peer that does not keep up misses batches (counted in
 * `dropped`) rather than holding up the model call. A socket nobody answers on belongs to a process
 * that died without removing it, and is removed here.
 */
export class LocalPeers {
  private readonly peers = new Map<string, Peer>();
  private scannedAt = -Infinity;
  /** Batches not sent to a peer because it was not keeping up. */
  dropped = 0;
  /** This process's own socket, once it listens: never a peer. */
  own: string | null = null;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly rescanMs = RESCAN_MS,
  ) {}

  /** Sends a line to every peer; `line` is made only if there is one. Never throws. */
  async send(line: () => Promise<string>): Promise<void> {
    if (this.closed) return;
    await this.refresh();
    if (this.peers.size === 0) return;
    const text = await line();
    for (const peer of this.peers.values()) {
      if (peer.backedUp) {
        this.dropped += 1;
        continue;
      }
      if (!peer.socket.write(text)) peer.backedUp = true;
    }
  }

  close(): void {
    this.closed = true;
    for (const peer of this.peers.values()) peer.socket.destroy();
    this.peers.clear();
  }

  /** Reads the folder again when the last look is old: new peers are connected, gone ones let go. */
  private async refresh(): Promise<void> {
    if (Date.now() - this.scannedAt < this.rescanMs) return;
    this.scannedAt = Date.now();
    const present = new Set(await socketsIn(this.dir));
    for (const [path, peer] of this.peers)
      if (!present.has(path)) {
        peer.socket.destroy();
        this.peers.delete(path);
      }
    for (const path of present) if (path !== this.own && !this.peers.has(path)) this.peers.set(path, this.connect(path));
  }

  private connect(path: string): Peer {
    // What is written before the connection is made waits in the socket, in order.
    const socket = createConnection(path);
    const peer: Peer = { socket, backedUp: false };
    socket.unref(); // a connection to a watcher never keeps this process alive
    socket.on('drain', () => (peer.backedUp = false));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // Nobody listens: its process died without removing the socket, which is removed for it.
      if (err.code === 'ECONNREFUSED') void unlink(path).catch(() => undefined);
    });
    socket.on('close', () => {
      if (this.peers.get(path) !== peer) return;
      this.peers.delete(path);
      this.scannedAt = -Infinity; // the next publish looks again: connects anew, or removes a dead socket
    });
    return peer;
  }
}
