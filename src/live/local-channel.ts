import { randomBytes } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import type { LiveItem } from '../core/live';
import { jsonLogLine } from '../logging/json-logger';
import { sealBytes, unsealBytes } from '../store/sealing';
import type { LiveChannel } from './channel';
import { frameLine, isBatchOf, LineReader, parseFrame, type LiveFrame } from './local-frames';
import { LocalPeers, RESCAN_MS } from './local-peers';
import { claimRendezvous, rendezvousDirOf, SOCKET_SUFFIX } from './local-rendezvous';

export interface LocalLiveChannelOptions {
  /** How old the list of peers may be before a publish reads the rendezvous folder again. Default 250 ms. */
  rescanMs?: number;
  /** Where a warning goes: one line, naming no run's contents. Default: a JSON log line on stderr. */
  warn?: (message: string) => void;
}

/** What a Unix socket's path may hold on every system (macOS: 104 bytes with the final NUL). */
const MAX_SOCKET_PATH_BYTES = 103;

/** Sockets of this process still open, removed at exit when their channel was never closed. */
const openSockets = new Set<string>();
let exitHookAdded = false;

/**
 * Live items between the processes of one user on one machine that share a folder store: the
 * README's walkthrough, where `worker`, `serve`, `run` and `follow` are separate processes and no
 * broker is there to carry previews. They meet in a rendezvous folder of their own (see
 * local-rendezvous.ts): a process that watches a run listens on a Unix socket there, and a process
 * that publishes writes each batch to every socket it finds, over a connection it keeps. The
 * folder is the user's alone (0700), so no other user can hear or speak; batches are sealed with
 * the store's codec, as the PostgreSQL channel's are, so with the codec on no text passes in the
 * clear. Subscribers in the publishing process are told directly, on a later tick, as in memory.
 * If the folder cannot be used safely, previews stay within the process.
 */
export class LocalLiveChannel implements LiveChannel {
  private readonly listeners = new Map<string, Set<(items: LiveItem[]) => void>>();
  private peers: Promise<LocalPeers | null> | null = null;
  private listening: Promise<void> | null = null;
  private server: Server | null = null;
  private readonly accepted = new Set<Socket>();
  private socketPath: string | null = null;
  private sending: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly rescanMs: number;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly folder: string,
    private readonly codec?: PayloadCodec,
    options: LocalLiveChannelOptions = {},
  ) {
    this.rescanMs = options.rescanMs ?? RESCAN_MS;
    this.warn = options.warn ?? ((message) => process.stderr.write(`${jsonLogLine('warn', message)}\n`));
  }

  /** Batches not sent to a process that was not keeping up with them. */
  async dropped(): Promise<number> {
    return (await this.peers)?.dropped ?? 0;
  }

  /** The socket this process listens on, once something here watches a run. */
  get socket(): string | null {
    return this.socketPath;
  }

  async publish(runId: string, items: LiveItem[]): Promise<void> {
    if (items.length === 0 || this.closed) return;
    for (const listener of this.listeners.get(runId) ?? []) setImmediate(() => listener(items));
    // One after another, sealing included, so that every peer gets one run's batches in order.
    const send = this.sending
      .then(async () => {
        const peers = await this.rendezvous();
        await peers?.send(async () => frameLine(runId, await sealBytes(items, this.codec)));
      })
      .catch(() => undefined); // a preview lost: the recorded message still comes
    this.sending = send;
    return send;
  }

  async subscribe(runId: string, onItems: (items: LiveItem[]) => void): Promise<() => Promise<void>> {
    let listeners = this.listeners.get(runId);
    if (!listeners) this.listeners.set(runId, (listeners = new Set()));
    const listener = (items: LiveItem[]) => onItems(items);
    listeners.add(listener);
    await this.listen();
    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(runId) === listeners) this.listeners.delete(runId);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.sending;
    await this.listening;
    (await this.peers)?.close();
    for (const socket of this.accepted) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.socketPath) {
      openSockets.delete(this.socketPath);
      await unlink(this.socketPath).catch(() => undefined);
    }
  }

  /** The rendezvous folder's peers, opened at first use; null when the folder cannot be used safely. */
  private rendezvous(): Promise<LocalPeers | null> {
    this.peers ??= (async () => {
      const dir = await rendezvousDirOf(this.folder);
      if (!dir) return null;
      const problem = await claimRendezvous(dir);
      if (problem) {
        this.warn(`live previews stay within this process: ${problem}`);
        return null;
      }
      return new LocalPeers(dir, this.rescanMs);
    })().catch(() => null);
    return this.peers;
  }

  /** Listens in the rendezvous folder, once; a socket that cannot be made leaves delivery within the process. */
  private listen(): Promise<void> {
    this.listening ??= this.openSocket().catch((err: NodeJS.ErrnoException) => {
      this.warn(`live previews from other processes will not be heard here: no socket could be made (${err.code ?? err.name})`);
    });
    return this.listening;
  }

  private async openSocket(): Promise<void> {
    const peers = await this.rendezvous();
    if (!peers || this.closed) return;
    const name = `${process.pid}-${randomBytes(4).toString('hex')}`;
    // Bound under another name and renamed once it listens, so a publisher never finds a socket
    // that refuses it (and removes it as a dead one's) in the moment between bind and listen.
    const settingUp = join(peers.dir, `${name}.new`);
    const path = join(peers.dir, `${name}${SOCKET_SUFFIX}`);
    // A longer path would be cut short (or refused) by the system: a very long temporary folder.
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) throw Object.assign(new Error('socket path too long'), { code: 'ENAMETOOLONG' });
    const server = createServer((socket) => this.receive(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settingUp, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref(); // watching never keeps this process alive
    server.on('error', () => undefined);
    this.server = server;
    await rename(settingUp, path).catch((err: unknown) => {
      server.close();
      this.server = null;
      throw err;
    });
    this.socketPath = peers.own = path;
    openSockets.add(path);
    if (!exitHookAdded) {
      exitHookAdded = true;
      process.once('exit', () => openSockets.forEach((socket) => ignoreErrors(() => unlinkSync(socket))));
    }
  }

  /** Reads a peer's frames, one after another, and hands those of watched runs to their subscribers. */
  private receive(socket: Socket): void {
    socket.unref();
    this.accepted.add(socket);
    socket.once('close', () => this.accepted.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    const lines = new LineReader();
    let delivering = Promise.resolve();
    let warned = false;
    const drop = (why: string) => {
      if (warned) return;
      warned = true; // one line per connection: a peer with another key would otherwise fill the log
      this.warn(`live previews: dropped a frame from another process (${why}); later ones on its connection are dropped silently`);
    };
    socket.on('data', (chunk: string) => {
      const got = lines.push(chunk);
      if (got === 'too long') {
        drop('too long');
        socket.destroy();
        return;
      }
      for (const line of got) {
        const frame = parseFrame(line);
        if (!frame) drop('not a frame');
        else if (this.listeners.has(frame.runId)) delivering = delivering.then(() => this.deliver(frame, drop));
      }
    });
  }

  private async deliver(frame: LiveFrame, drop: (why: string) => void): Promise<void> {
    let items: unknown;
    try {
      items = await unsealBytes<unknown>(frame.sealed, this.codec);
    } catch {
      return drop('it could not be unsealed');
    }
    if (!isBatchOf(items, frame.runId)) return drop('not a batch of its run');
    for (const listener of this.listeners.get(frame.runId) ?? []) listener(items);
  }
}

function ignoreErrors(action: () => void): void {
  try {
    action();
  } catch {
    // best effort: the socket may be gone already
  }
}
