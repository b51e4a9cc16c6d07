import { createHash } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import { Client, type ClientConfig } from 'pg';
import type { LiveItem } from '../core/live';
import { sealBytes, unsealBytes } from '../store/sealing';
import type { LiveChannel } from './channel';

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; a batch is split to stay under. */
const MAX_PAYLOAD_CHARS = 7_000;

/** How long a broken listening connection waits before it connects again. */
const RECONNECT_MS = 500;

/**
 * Live items through PostgreSQL's LISTEN/NOTIFY, the production channel: the database is already
 * there (it holds the conversations), every worker can publish and every front end can listen, and
 * a notification reaches only the sessions listening when it is sent, so nothing piles up. Each run
 * has its own channel, listened to only while someone in this process watches it. Payloads are
 * sealed with the codec that seals the store, so with the codec on no text passes in the clear.
 *
 * NOTIFY is delivered in the order one session sent it: all of this process's publishing goes
 * through one connection, one statement at a time, so one run's batches arrive in order.
 */
export class PostgresLiveChannel implements LiveChannel {
  private publisher: Promise<Client> | null = null;
  private sending: Promise<void> = Promise.resolve();
  private listener: Promise<Client> | null = null;
  private readonly listeners = new Map<string, Set<(items: LiveItem[]) => void>>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly codec?: PayloadCodec,
  ) {}

  async publish(runId: string, items: LiveItem[]): Promise<void> {
    if (items.length === 0 || this.closed) return;
    const payloads = await this.payloadsOf(items);
    const send = this.sending.then(async () => {
      try {
        const client = await this.publishingClient();
        for (const payload of payloads) await client.query('SELECT pg_notify($1, $2)', [channelOf(runId), payload]);
      } catch {
        // A preview lost to a database hiccup: the recorded message still comes. The next batch reconnects.
        this.publisher = null;
      }
    });
    this.sending = send;
    return send;
  }

  async subscribe(runId: string, onItems: (items: LiveItem[]) => void): Promise<() => Promise<void>> {
    let listeners = this.listeners.get(runId);
    const first = !listeners;
    if (!listeners) this.listeners.set(runId, (listeners = new Set()));
    const listener = (items: LiveItem[]) => onItems(items);
    listeners.add(listener);
    if (first) await this.listenTo(runId, 'LISTEN');
    return async () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.listeners.get(runId) !== listeners) return;
      this.listeners.delete(runId);
      await this.listenTo(runId, 'UNLISTEN');
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const clients = [this.publisher, this.listener];
    this.publisher = this.listener = null;
    await this.sending.catch(() => undefined);
    await Promise.all(clients.map(async (c) => (await c?.catch(() => null))?.end().catch(() => undefined)));
  }

  private async listenTo(runId: string, verb: 'LISTEN' | 'UNLISTEN'): Promise<void> {
    try {
      const client = await this.listeningClient();
      await client.query(`${verb} ${channelOf(runId)}`);
    } catch {
      // The connection is being replaced; the new one listens to every run watched by then.
    }
  }

  private publishingClient(): Promise<Client> {
    this.publisher ??= this.connect().catch((err: unknown) => {
      this.publisher = null;
      throw err;
    });
    return this.publisher;
  }

  /** The session that listens; when it breaks, a new one listens again to every run still watched. */
  private listeningClient(): Promise<Client> {
    this.listener ??= (async () => {
      const client = await this.connect();
      client.on('notification', (note) => void this.deliver(note.channel, note.payload));
      client.on('error', () => this.relisten(client));
      client.on('end', () => this.relisten(client));
      for (const runId of this.listeners.keys()) await client.query(`LISTEN ${channelOf(runId)}`);
      return client;
    })().catch((err: unknown) => {
      this.listener = null;
      if (!this.closed) setTimeout(() => this.listeners.size > 0 && void this.listeningClient().catch(() => undefined), RECONNECT_MS);
      throw err;
    });
    return this.listener;
  }

  private relisten(broken: Client): void {
    void this.listener?.then((current) => {
      if (current !== broken || this.closed) return;
      this.listener = null;
      setTimeout(() => this.listeners.size > 0 && void this.listeningClient().catch(() => undefined), RECONNECT_MS);
    });
  }

  private async connect(): Promise<Client> {
    const config: ClientConfig = { connectionString: this.url, application_name: 'durable-teams-live', connectionTimeoutMillis: 5_000 };
    const client = new Client(config);
    client.on('error', () => undefined); // reported to the owner's own handler; never an unhandled crash
    await client.connect();
    return client;
  }

  private async deliver(channel: string, payload: string | undefined): Promise<void> {
    if (!payload) return;
    let items: LiveItem[];
    try {
      items = await unsealBytes<LiveItem[]>(Buffer.from(payload, 'base64'), this.codec);
    } catch {
      return; // sealed with a key this process lacks, or not ours: nothing to show
    }
    const runId = items[0] && items[0].runId;
    if (!runId || channelOf(runId) !== channel) return;
    for (const listener of this.listeners.get(runId) ?? []) listener(items);
  }

  /** The batch as NOTIFY payloads, each under PostgreSQL's limit, split between items or within a long delta. */
  private async payloadsOf(items: LiveItem[]): Promise<string[]> {
    const encoded = Buffer.from(await sealBytes(items, this.codec)).toString('base64');
    if (encoded.length <= MAX_PAYLOAD_CHARS) return [encoded];
    if (items.length > 1) {
      const half = Math.ceil(items.length / 2);
      return [...(await this.payloadsOf(items.slice(0, half))), ...(await this.payloadsOf(items.slice(half)))];
    }
    const item = items[0]!;
    if (item.type !== 'delta' || item.text.length < 2) return []; // cannot be split, and too large to send
    let cut = Math.ceil(item.text.length / 2);
    if (/[\uD800-\uDBFF]/.test(item.text[cut - 1] ?? '')) cut += 1; // never between the halves of a surrogate pair
    return [
      ...(await this.payloadsOf([{ ...item, text: item.text.slice(0, cut) }])),
      ...(await this.payloadsOf([{ ...item, text: item.text.slice(cut) }])),
    ];
  }
}

/** A run's channel name: an identifier PostgreSQL takes whatever the run id holds, under 63 bytes. */
export function channelOf(runId: string): string {
  return `dt_live_${createHash('sha256').update(runId).digest('hex').slice(0, 40)}`;
}
