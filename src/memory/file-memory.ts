import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreOperationError, StoreUnavailableError } from '../store/errors';
import { appendWhole, errorCode } from '../store/file-io';
import { safeFileName } from '../store/file-names';
import { newestFirst, type ListedMemoryEntry, type MemoryBackend, type StoredMemoryEntry } from './memory-backend';

const ENTRIES = 'entries.log';

/**
 * Memory in the embedded store's folder, beside its conversations:
 *
 *     memory/<namespace as file name>/entries.log   one line an entry: id, time, sealed bytes
 *
 * Appends of one write land whole even from several processes (see appendWhole), so workers on
 * one machine share it with no lock. A retried write appends its line again; readers keep the
 * first line of each id, which makes writes idempotent by id. A process reads a log once and
 * then only what was appended (see readLog); bench/memory-lookup.ts measures 10,000 entries.
 */
export class FileMemory implements MemoryBackend {
  readonly location: string;

  /** Logs read so far, by namespace: where reading stopped, and what it found. */
  private readonly logs = new Map<string, { ino: number; offset: number; lines: Map<string, LogLine> }>();

  private constructor(private readonly folder: string) {
    this.location = folder;
  }

  /** Where the memory beside the embedded store in `storeFolder` is. */
  static folderBeside(storeFolder: string): string {
    return join(storeFolder, 'memory');
  }

  /** The memory beside the embedded store in `storeFolder`. */
  static async open(storeFolder: string): Promise<FileMemory> {
    const folder = FileMemory.folderBeside(storeFolder);
    try {
      await mkdir(folder, { recursive: true });
    } catch (err) {
      throw new StoreUnavailableError(folder, (err as Error).message, 'check that the folder can be created and written by this user', {
        cause: err,
      });
    }
    return new FileMemory(folder);
  }

  async putEntries(entries: StoredMemoryEntry[]): Promise<void> {
    await this.guard('writing memory', async () => {
      const byNamespace = new Map<string, StoredMemoryEntry[]>();
      for (const e of entries) byNamespace.set(e.namespace, [...(byNamespace.get(e.namespace) ?? []), e]);
      for (const [namespace, some] of byNamespace) {
        const at = join(this.folder, safeFileName(namespace));
        await mkdir(at, { recursive: true });
        await appendWhole(join(at, ENTRIES), some.map(lineOf).join(''), false);
      }
    });
  }

  async listIds(namespace: string): Promise<ListedMemoryEntry[]> {
    const lines = await this.readLog(namespace);
    return [...lines.values()].map(({ id, createdAt }) => ({ id, createdAt })).sort(newestFirst);
  }

  async getEntries(namespace: string, ids: readonly string[]): Promise<StoredMemoryEntry[]> {
    if (ids.length === 0) return [];
    const lines = await this.readLog(namespace);
    return ids.flatMap((id) => {
      const line = lines.get(id);
      return line ? [{ id, namespace, createdAt: line.createdAt, data: new Uint8Array(Buffer.from(line.data, 'base64')) }] : [];
    });
  }

  async forget(namespace: string): Promise<number> {
    const count = (await this.readLog(namespace)).size;
    await this.guard('forgetting memory', () => rm(join(this.folder, safeFileName(namespace)), { recursive: true, force: true }));
    this.logs.delete(namespace);
    return count;
  }

  async close(): Promise<void> {}

  /**
   * The namespace's log by id, the first line of each id kept, the bytes still in base64 (decoded
   * when asked for). The log only grows, so what was read before is kept and only what was
   * appended since is read: a lookup among 10,000 entries costs a stat and the new lines. A log
   * that shrank or was replaced (forgotten, then written again) is read afresh.
   */
  private async readLog(namespace: string): Promise<Map<string, LogLine>> {
    return this.guard('reading memory', async () => {
      const path = join(this.folder, safeFileName(namespace), ENTRIES);
      let file: FileHandle;
      try {
        file = await open(path, 'r');
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') throw err;
        this.logs.delete(namespace);
        return new Map<string, LogLine>();
      }
      try {
        const { ino, size } = await file.stat();
        let held = this.logs.get(namespace);
        if (!held || held.ino !== ino || size < held.offset) held = { ino, offset: 0, lines: new Map() };
        if (size > held.offset) {
          const buffer = Buffer.alloc(size - held.offset);
          const { bytesRead } = await file.read(buffer, 0, buffer.length, held.offset);
          const text = buffer.subarray(0, bytesRead).toString('latin1');
          // Up to the last newline only: a line being appended right now is read next time, whole.
          const whole = text.slice(0, text.lastIndexOf('\n') + 1);
          for (const lineText of whole.split('\n')) {
            const line = parseLine(lineText);
            if (line && !held.lines.has(line.id)) held.lines.set(line.id, line);
          }
          held.offset += whole.length; // latin1: one character a byte
        }
        this.logs.set(namespace, held);
        return held.lines;
      } finally {
        await file.close();
      }
    });
  }

  private async guard<T>(operation: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (err) {
      throw new StoreOperationError(this.location, operation, (err as Error).message, { cause: err });
    }
  }
}

/** `<id, URI-encoded> <epoch ms> <bytes, base64>`: no field can hold a space or a newline. */
function lineOf(entry: StoredMemoryEntry): string {
  return `${encodeURIComponent(entry.id)} ${entry.createdAt.getTime()} ${Buffer.from(entry.data).toString('base64')}\n`;
}

interface LogLine {
  id: string;
  createdAt: Date;
  /** Base64. */
  data: string;
}

/** A line back; null for an empty or cut line (a write torn by a crash). */
function parseLine(text: string): LogLine | null {
  const [id, at, data] = text.split(' ');
  if (!id || !at || data === undefined || !/^\d+$/.test(at)) return null;
  return { id: decodeURIComponent(id), createdAt: new Date(Number(at)), data };
}
