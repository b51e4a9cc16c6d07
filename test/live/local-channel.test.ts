import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LiveItem } from '../../src/core/live';
import { LocalLiveChannel } from '../../src/live/local-channel';
import { frameLine, parseFrame } from '../../src/live/local-frames';
import { rendezvousDirOf } from '../../src/live/local-rendezvous';
import { sealBytes } from '../../src/store/sealing';
import { ROOT } from '../helpers/teams';

/**
 * The folder store's live channel between real processes: each peer is `node` running
 * test/fixtures/live-peer.js (the channel as built in dist/), driven over its stdin. Everything
 * waits on what the peers say, never on time.
 */

const FIXTURE = join(ROOT, 'test/fixtures/live-peer.js');
const KEY = '07'.repeat(32);
const source = { turn: 1, agent: 'writer', call: '5', attempt: 1 };
const delta = (runId: string, text: string): LiveItem => ({ ...source, runId, type: 'delta', text });
const texts = (items: LiveItem[]) => items.map((i) => (i.type === 'delta' ? i.text : i.type));

/** Waits until `check` holds, up to a bound (the bound is a failure, not a timing assertion). */
async function until(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

class Peer {
  readonly heard: { tag: string; runId: string; items: LiveItem[] }[] = [];
  stderr = '';
  private readonly answers = new Map<number, { socket: string | null }>();
  private seq = 0;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(folder: string, options: { codec?: boolean; env?: Record<string, string> } = {}) {
    this.child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, LIVE_FOLDER: folder, LIVE_CODEC_KEY: options.codec ? KEY : '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const said = JSON.parse(line) as { done?: number; socket: string | null; tag: string; runId: string; items: LiveItem[] };
      if (said.done !== undefined) this.answers.set(said.done, said);
      else this.heard.push(said);
    });
  }

  /** Sends a command and waits for its answer (so everything it asked for has been done). */
  async command(op: Record<string, unknown>): Promise<{ socket: string | null }> {
    const seq = ++this.seq;
    this.child.stdin!.write(`${JSON.stringify({ seq, ...op })}\n`);
    await until(() => this.answers.has(seq) || this.child.exitCode !== null, `the peer to answer ${op.op}`);
    if (!this.answers.has(seq)) throw new Error(`the peer exited:\n${this.stderr}`);
    return this.answers.get(seq)!;
  }

  subscribe(runId: string, tag = 'sub'): Promise<{ socket: string | null }> {
    return this.command({ op: 'subscribe', runId, tag });
  }

  publish(runId: string, batches: LiveItem[][]): Promise<unknown> {
    return this.command({ op: 'publish', runId, batches });
  }

  itemsOf(tag = 'sub'): LiveItem[] {
    return this.heard.filter((h) => h.tag === tag).flatMap((h) => h.items);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

describe('the local live channel (folder store): processes of one user on one machine, through Unix sockets', () => {
  const peers: Peer[] = [];
  const channels: LocalLiveChannel[] = [];
  const folders: string[] = [];
  const otherTemporaryFolders: string[] = [];
  const peer = (folder: string, options?: ConstructorParameters<typeof Peer>[1]) => {
    const p = new Peer(folder, options);
    peers.push(p);
    return p;
  };
  const channel = (folder: string, options?: ConstructorParameters<typeof LocalLiveChannel>[2]) => {
    const c = new LocalLiveChannel(folder, undefined, options);
    channels.push(c);
    return c;
  };
  const newFolder = () => {
    const folder = mkdtempSync(join(tmpdir(), 'dt-live-store-'));
    folders.push(folder);
    return folder;
  };

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/src/live/local-channel.js'))) throw new Error('the channel is not built: run `npm run build` first');
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.kill()));
    await Promise.all(channels.map((c) => c.close()));
    for (const folder of folders) {
      rmSync((await rendezvousDirOf(folder))!, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
    for (const other of otherTemporaryFolders) rmSync(other, { recursive: true, force: true });
  });

  test('a batch published in one process arrives, in order, at a subscriber in another, and nothing of other runs', async () => {
    const folder = newFolder();
    const listener = peer(folder);
    await listener.subscribe('run-1');
    const publisher = peer(folder);
    const batches = Array.from({ length: 20 }, (_, i) => [delta('run-1', `t${i} `), delta('run-1', `u${i} `)]);
    await publisher.publish('run-elsewhere', [[delta('run-elsewhere', 'not for run-1')]]);
    await publisher.publish('run-1', batches);
    await until(() => listener.itemsOf().length >= 40, 'forty items');
    expect(texts(listener.itemsOf())).toEqual(batches.flat().map((i) => (i.type === 'delta' ? i.text : '')));
    expect(listener.heard.every((h) => h.runId === 'run-1')).toBe(true);
  });

  test('two subscribers in one process each hear every batch once', async () => {
    const folder = newFolder();
    const listener = peer(folder);
    await listener.subscribe('run-2', 'one');
    await listener.subscribe('run-2', 'two');
    const publisher = peer(folder);
    await publisher.publish('run-2', [[delta('run-2', 'a')], [delta('run-2', 'b')], [delta('run-2', 'c'), delta('run-2', 'end')]]);
    await until(() => texts(listener.itemsOf('one')).includes('end') && texts(listener.itemsOf('two')).includes('end'), 'both subscribers');
    await listener.command({ op: 'ping' }); // anything heard twice would have come before this answer
    expect(texts(listener.itemsOf('one'))).toEqual(['a', 'b', 'c', 'end']);
    expect(texts(listener.itemsOf('two'))).toEqual(['a', 'b', 'c', 'end']);
  });

  test('a subscriber in the publishing process hears its batches once, not again through its own socket', async () => {
    const folder = newFolder();
    const local = channel(folder);
    const heard: LiveItem[] = [];
    await local.subscribe('run-3', (items) => heard.push(...items));
    const other = peer(folder);
    await other.subscribe('run-3');
    await local.publish('run-3', [delta('run-3', 'once')]);
    await local.publish('run-3', [delta('run-3', 'end')]);
    await until(() => texts(other.itemsOf()).includes('end') && texts(heard).includes('end'), 'both processes');
    expect(texts(heard)).toEqual(['once', 'end']);
    expect(texts(other.itemsOf())).toEqual(['once', 'end']);
  });

  test('with the codec on, what passes on the socket holds no text; a peer with the key hears it, one without drops it with a warning that says nothing of it', async () => {
    const folder = newFolder();
    const withKey = peer(folder, { codec: true });
    await withKey.subscribe('secret-run');
    const withoutKey = peer(folder);
    await withoutKey.subscribe('secret-run');
    // A raw listener in the rendezvous folder sees exactly the bytes a peer is sent.
    const dir = (await rendezvousDirOf(folder))!;
    const raw: Buffer[] = [];
    const server: Server = createServer((socket) => socket.on('data', (chunk) => raw.push(chunk)));
    await new Promise<void>((resolve) => server.listen(join(dir, `${process.pid}-raw.sock`), resolve));
    try {
      const publisher = peer(folder, { codec: true });
      await publisher.publish('secret-run', [[delta('secret-run', 'the launch code is 1234')]]);
      await until(() => withKey.itemsOf().length === 1, 'the peer with the key');
      expect(withKey.itemsOf()).toEqual([delta('secret-run', 'the launch code is 1234')]);
      await until(() => Buffer.concat(raw).includes('\n'), 'a whole frame on the raw socket');
      const bytes = Buffer.concat(raw).toString('latin1');
      expect(bytes).not.toContain('launch code');
      const frame = parseFrame(bytes.trimEnd())!;
      expect(frame.runId).toBe('secret-run');
      expect(Buffer.from(frame.sealed).toString('latin1')).not.toContain('launch code');
      await until(() => withoutKey.stderr.includes('could not be unsealed'), 'the warning of the peer without the key');
      expect(withoutKey.stderr).not.toContain('launch');
      expect(withoutKey.heard).toEqual([]);
    } finally {
      server.close();
    }
  });

  test('a dead process’s socket is removed by the next publish that finds nobody answering on it', async () => {
    const folder = newFolder();
    const doomed = peer(folder);
    const { socket } = await doomed.subscribe('run-4');
    expect(socket).not.toBeNull();
    await doomed.kill(); // SIGKILL: no chance to remove its socket
    expect(existsSync(socket!)).toBe(true);
    await channel(folder).publish('run-4', [delta('run-4', 'anyone?')]);
    await until(() => !existsSync(socket!), 'the dead socket to be removed');
  });

  test('a process on another store folder hears nothing', async () => {
    const folder = newFolder();
    const elsewhere = newFolder();
    expect(await rendezvousDirOf(elsewhere)).not.toBe(await rendezvousDirOf(folder));
    const here = peer(folder);
    const there = peer(elsewhere);
    await here.subscribe('run-5');
    await there.subscribe('run-5');
    await peer(folder).publish('run-5', [[delta('run-5', 'for this folder')]]);
    await until(() => here.itemsOf().length === 1, 'the peer on the same folder');
    await there.command({ op: 'ping' });
    expect(there.heard).toEqual([]);
  });

  test('a frame that cannot be read is dropped with one warning, and the frames after it on other connections still arrive', async () => {
    const folder = newFolder();
    const warnings: string[] = [];
    const local = channel(folder, { warn: (line) => warnings.push(line) });
    const heard: LiveItem[] = [];
    await local.subscribe('run-6', (items) => heard.push(...items));
    const garbage = createConnection(local.socket!);
    garbage.write('not json\n{"runId":"run-6","payload":"AAAA"}\n');
    garbage.write(frameLine('run-6', await sealBytes([delta('run-7', 'another run inside')])));
    await until(() => warnings.length > 0, 'a warning');
    await peer(folder).publish('run-6', [[delta('run-6', 'still here')]]);
    await until(() => heard.length === 1, 'the good frame');
    garbage.destroy();
    expect(texts(heard)).toEqual(['still here']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropped a frame from another process/);
  });

  test('a reader that does not read costs the publisher nothing: its batches are dropped and counted, and publishing goes on', async () => {
    const folder = newFolder();
    const dir = (await rendezvousDirOf(folder))!;
    mkdirSync(dir, { mode: 0o700, recursive: true });
    const stuck: Server = createServer((socket) => socket.pause());
    await new Promise<void>((resolve) => stuck.listen(join(dir, `${process.pid}-stuck.sock`), resolve));
    try {
      const publisher = channel(folder);
      const big = 'x'.repeat(64 * 1024);
      let published = 0;
      while ((await publisher.dropped()) === 0 && published < 1_000) {
        await publisher.publish('run-8', [delta('run-8', big)]);
        published += 1;
      }
      expect(await publisher.dropped()).toBeGreaterThan(0);
    } finally {
      stuck.close();
    }
  });

  test('a rendezvous folder others may enter is not used: previews stay within the process, with a warning', async () => {
    const folder = newFolder();
    const dir = (await rendezvousDirOf(folder))!;
    mkdirSync(dir);
    chmodSync(dir, 0o755); // whatever the umask
    const warnings: string[] = [];
    const local = channel(folder, { warn: (line) => warnings.push(line) });
    const heard: LiveItem[] = [];
    await local.subscribe('run-9', (items) => heard.push(...items));
    await local.publish('run-9', [delta('run-9', 'only here')]);
    await until(() => heard.length === 1, 'the local subscriber');
    expect(local.socket).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/stay within this process: the folder .* is open to other users \(mode 755\)/)]);
  });

  test('a temporary folder too long for a socket’s path: the process says so, leaves nothing half made, and keeps previews within itself', async () => {
    const top = mkdtempSync(join(tmpdir(), 'dt-live-long-'));
    otherTemporaryFolders.push(top);
    const long = join(top, 'x'.repeat(90));
    mkdirSync(long);
    const lonely = peer(newFolder(), { env: { TMPDIR: long } });
    const { socket } = await lonely.subscribe('run-10');
    expect(socket).toBeNull();
    await until(() => lonely.stderr.includes('no socket could be made'), 'the warning');
    expect(lonely.stderr).toContain('(ENAMETOOLONG)');
    const [rendezvous, ...more] = readdirSync(long);
    expect(more).toEqual([]);
    expect(readdirSync(join(long, rendezvous!))).toEqual([]);
  });
});
