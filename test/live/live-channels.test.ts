import type { LiveItem } from '../../src/core/live';
import type { LiveChannel } from '../../src/live/channel';
import { LiveBatcher } from '../../src/live/live-batcher';
import { RamLiveChannel } from '../../src/live/ram-channel';
import { channelOf, PostgresLiveChannel } from '../../src/live/postgres-channel';
import { AesGcmCodec } from '../../src/temporal/codec/aes-gcm-codec';
import { CodecKeyring } from '../../src/temporal/codec/codec-keys';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';

const source = { runId: 'run-1', turn: 2, agent: 'writer', call: '7', attempt: 1 };
const delta = (text: string, runId = 'run-1'): LiveItem => ({ ...source, runId, type: 'delta', text });

/** Collects what a subscriber hears, and resolves once `count` items came. */
function hear(channel: LiveChannel, runId: string) {
  const heard: LiveItem[] = [];
  let waiting: { count: number; resolve: () => void } | null = null;
  const unsubscribe = channel.subscribe(runId, (items) => {
    heard.push(...items);
    if (waiting && heard.length >= waiting.count) waiting.resolve();
  });
  return {
    heard,
    unsubscribe,
    until: (count: number) => (heard.length >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { count, resolve }))),
  };
}

function describeChannel(name: string, open: () => LiveChannel, another: () => LiveChannel) {
  describe(name, () => {
    test('a subscriber of a run hears its batches in order, and nothing of other runs', async () => {
      const listener = another();
      const one = hear(listener, 'run-1');
      const other = hear(listener, 'run-2');
      await one.unsubscribe;
      await other.unsubscribe;
      const publisher = open();
      for (let i = 0; i < 20; i++) await publisher.publish('run-1', [delta(`t${i} `)]);
      await publisher.publish('run-2', [delta('elsewhere', 'run-2')]);
      await one.until(20);
      await other.until(1);
      expect(one.heard.map((i) => (i.type === 'delta' ? i.text : i.type)).join('')).toBe(
        Array.from({ length: 20 }, (_, i) => `t${i} `).join(''),
      );
      expect(other.heard).toEqual([delta('elsewhere', 'run-2')]);
      await (
        await one.unsubscribe
      )();
      await (
        await other.unsubscribe
      )();
    });

    test('after unsubscribing nothing more is heard', async () => {
      const listener = another();
      const sub = hear(listener, 'run-3');
      const stop = await sub.unsubscribe;
      await open().publish('run-3', [delta('first', 'run-3')]);
      await sub.until(1);
      await stop();
      await open().publish('run-3', [delta('second', 'run-3')]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sub.heard).toEqual([delta('first', 'run-3')]);
    });

    test('a delta longer than one notification carries arrives whole, in pieces in order', async () => {
      const listener = another();
      const sub = hear(listener, 'run-4');
      await sub.unsubscribe;
      const long = 'é'.repeat(30_000) + 'end';
      await open().publish('run-4', [delta(long, 'run-4')]);
      const deadline = Date.now() + 5_000;
      while (sub.heard.map((i) => (i.type === 'delta' ? i.text : '')).join('').length < long.length && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sub.heard.map((i) => (i.type === 'delta' ? i.text : '')).join('')).toBe(long);
      await (
        await sub.unsubscribe
      )();
    });
  });
}

describe('live channels', () => {
  const memory = new RamLiveChannel();
  describeChannel(
    'in memory',
    () => memory,
    () => memory,
  );

  describe('PostgreSQL LISTEN/NOTIFY (a real server; publisher and listener on separate connections, as two processes are)', () => {
    let server: TestPostgres;
    let publisher: PostgresLiveChannel;
    let listener: PostgresLiveChannel;
    beforeAll(async () => {
      server = await startPostgres();
      publisher = new PostgresLiveChannel(server.url);
      listener = new PostgresLiveChannel(server.url);
    }, 120_000);
    afterAll(async () => {
      await publisher?.close();
      await listener?.close();
      await server?.destroy();
    }, 60_000);

    describeChannel(
      'the channel contract',
      () => publisher,
      () => listener,
    );

    test('with the codec, what passes through PostgreSQL is sealed: a listener without the key hears nothing, one with it hears the text', async () => {
      const codec = new AesGcmCodec(new CodecKeyring(new Map([['key-1', Buffer.alloc(32, 7)]]), 'key-1'));
      const sealedOut = new PostgresLiveChannel(server.url, codec);
      const sealedIn = new PostgresLiveChannel(server.url, codec);
      const withKey = hear(sealedIn, 'secret-run');
      const withoutKey = hear(listener, 'secret-run');
      await withKey.unsubscribe;
      await withoutKey.unsubscribe;
      // A raw LISTEN sees exactly what PostgreSQL carries.
      const { Client } = await import('pg');
      const raw = new Client({ connectionString: server.url });
      await raw.connect();
      const payloads: string[] = [];
      raw.on('notification', (note) => payloads.push(note.payload ?? ''));
      await raw.query(`LISTEN ${channelOf('secret-run')}`);
      await sealedOut.publish('secret-run', [delta('the launch code is 1234', 'secret-run')]);
      await withKey.until(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(withKey.heard).toEqual([delta('the launch code is 1234', 'secret-run')]);
      expect(withoutKey.heard).toEqual([]);
      expect(payloads).toHaveLength(1);
      expect(Buffer.from(payloads[0]!, 'base64').toString('latin1')).not.toContain('launch code');
      await raw.end();
      await sealedOut.close();
      await sealedIn.close();
    });

    test('a listener whose connection is cut listens again by itself and hears what is sent after', async () => {
      const sub = hear(listener, 'run-restart');
      await sub.unsubscribe;
      const { Client } = await import('pg');
      const admin = new Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'durable-teams-live' AND pid <> pg_backend_pid()`,
      );
      await admin.end();
      const deadline = Date.now() + 10_000;
      while (sub.heard.length === 0 && Date.now() < deadline) {
        await publisher.publish('run-restart', [delta('again', 'run-restart')]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(sub.heard.length).toBeGreaterThan(0);
      await (
        await sub.unsubscribe
      )();
    });
  });
});

describe('LiveBatcher', () => {
  test('the first delta goes at once, the next ones of a window are joined and sent at its end; a reset or an end is sent at once, after what came before', async () => {
    const sent: LiveItem[][] = [];
    const channel: LiveChannel = {
      publish: async (_runId, items) => void sent.push(items),
      subscribe: async () => async () => undefined,
      close: async () => undefined,
    };
    const batcher = new LiveBatcher(channel, 30);
    batcher.publish(delta('a')); // the first piece after a quiet spell goes at once
    batcher.publish(delta('b'));
    batcher.publish(delta('c'));
    expect(sent).toEqual([[delta('a')]]);
    // The window's end is a timer: on a loaded machine it fires late, so wait for it rather than a
    // fixed time, then let a whole quiet window pass before the next piece.
    const deadline = Date.now() + 5_000;
    while (sent.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sent).toEqual([[delta('a')], [delta('bc')]]);
    await new Promise((resolve) => setTimeout(resolve, 45));
    batcher.publish(delta('d'));
    batcher.publish({ ...source, type: 'done' });
    expect(sent.slice(2)).toEqual([[delta('d')], [{ ...source, type: 'done' }]]);
    // Within the window: gathered, and a later attempt's text is not joined to an earlier one's.
    batcher.publish(delta('x'));
    batcher.publish({ ...source, attempt: 2, type: 'delta', text: 'y' });
    expect(sent).toHaveLength(4);
    await batcher.flush();
    expect(sent[4]).toEqual([delta('x'), { ...source, attempt: 2, type: 'delta', text: 'y' }]);
  });
});
