import { mkdir, readdir, readFile, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreBackend, StoredBody, StoredRecord, StoredRun } from './backend';
import { StoreOperationError, StoreUnavailableError } from './errors';
import { appendWhole, errorCode, forEachLimited, writeIfAbsent } from './file-io';
import { safeFileName, shardOf } from './file-names';
import { listLogAppend, readListLog, readRecordLog, recordLogAppend } from './record-log';

export interface FileBackendOptions {
  /**
   * Flush every write to disk before it is acknowledged, so that what an activity reported as
   * written survives a power cut, not only a crash of the process. Default false: the folder is
   * the store of one machine (development, a demo, a small deployment), where each flush would
   * add about 15 ms to a turn (measured by `npm run bench`); production runs on PostgreSQL.
   */
  durable?: boolean;
}

// Files in a run's folder.
const RUN_ID = 'run-id'; // the run id as written; its mtime is the run's last write
const RECORDS = 'records.log';
const BODY_KEYS = 'body-keys.log'; // the run's bodies, for deleteRuns

const PARALLEL_FILES = 16;

/**
 * The embedded store: a folder on this machine, shared safely by every process that opens it
 * (workers, a front end), with no server and no lock.
 *
 *     bodies/<2 hex>/<key as file name>     one file per body, written once (temp name + link)
 *     runs/<run id as file name>/run-id      the run's id; mtime = its last write (listRuns)
 *     runs/<run id as file name>/records.log append-only, a later entry for an index wins
 *     runs/<run id as file name>/body-keys.log  where the run's bodies are, for deleteRuns
 *
 * Bodies live apart from runs because they are read by key alone.
 */
export class FileBackend implements StoreBackend {
  readonly location: string;

  private constructor(
    private readonly folder: string,
    private readonly durable: boolean,
  ) {
    this.location = folder;
  }

  static async open(folder: string, options: FileBackendOptions = {}): Promise<FileBackend> {
    try {
      await mkdir(join(folder, 'bodies'), { recursive: true });
      await mkdir(join(folder, 'runs'), { recursive: true });
    } catch (err) {
      throw new StoreUnavailableError(
        folder,
        (err as Error).message,
        'check that the folder can be created and written by this user, or set DURABLE_TEAMS_STORE to another one',
        { cause: err },
      );
    }
    return new FileBackend(folder, options.durable ?? false);
  }

  async putBodies(bodies: StoredBody[]): Promise<void> {
    await this.guard('writing bodies', async () => {
      const byRun = new Map<string, StoredBody[]>();
      for (const body of bodies) byRun.set(body.runId, [...(byRun.get(body.runId) ?? []), body]);
      for (const [runId, runBodies] of byRun) {
        const runFolder = await this.touchRun(runId);
        // The key list first: a body is then never on disk without deleteRuns knowing of it.
        await appendWhole(join(runFolder, BODY_KEYS), listLogAppend(runBodies.map((body) => this.bodyPath(body.key))), this.durable);
        await forEachLimited(runBodies, PARALLEL_FILES, async (body) => {
          await mkdir(join(this.folder, 'bodies', shardOf(body.key)), { recursive: true });
          await writeIfAbsent(join(this.folder, this.bodyPath(body.key)), body.data, this.durable);
        });
      }
    });
  }

  async getBodies(keys: string[]): Promise<Map<string, Uint8Array>> {
    return this.guard('reading bodies', async () => {
      const found = new Map<string, Uint8Array>();
      await forEachLimited([...new Set(keys)], PARALLEL_FILES, async (key) => {
        const data = await readIfPresent(join(this.folder, this.bodyPath(key)));
        if (data) found.set(key, new Uint8Array(data));
      });
      return found;
    });
  }

  async putRecords(runId: string, records: StoredRecord[]): Promise<void> {
    if (records.length === 0) return;
    const text = recordLogAppend(records);
    await this.guard('writing records', async () => {
      await appendWhole(join(await this.touchRun(runId), RECORDS), text, this.durable);
    });
  }

  async getRecords(runId: string, from: number, to: number): Promise<StoredRecord[]> {
    return this.guard('reading records', async () => {
      const log = await readIfPresent(join(this.runFolder(runId), RECORDS));
      return log ? readRecordLog(log.toString('latin1'), from, to) : [];
    });
  }

  async deleteRuns(runIds: string[]): Promise<number> {
    return this.guard('deleting runs', async () => {
      let deleted = 0;
      for (const runId of new Set(runIds)) {
        const runFolder = this.runFolder(runId);
        if (!(await exists(runFolder))) continue;
        const keys = await readIfPresent(join(runFolder, BODY_KEYS));
        await forEachLimited(keys ? readListLog(keys.toString('utf8')) : [], PARALLEL_FILES, async (path) => {
          await unlink(join(this.folder, path)).catch((err: unknown) => {
            if (errorCode(err) !== 'ENOENT') throw err;
          });
        });
        await rm(runFolder, { recursive: true, force: true });
        deleted += 1;
      }
      return deleted;
    });
  }

  async listRuns(options: { updatedBefore?: Date; limit?: number } = {}): Promise<StoredRun[]> {
    return this.guard('listing runs', async () => {
      const runs: StoredRun[] = [];
      await forEachLimited(await readdir(join(this.folder, 'runs')), PARALLEL_FILES, async (name) => {
        const idFile = join(this.folder, 'runs', name, RUN_ID);
        try {
          const [{ mtime }, runId] = await Promise.all([stat(idFile), readFile(idFile, 'utf8')]);
          if (!options.updatedBefore || mtime < options.updatedBefore) runs.push({ runId, updatedAt: mtime });
        } catch (err) {
          // A run being created or deleted by another process right now.
          if (errorCode(err) !== 'ENOENT') throw err;
        }
      });
      runs.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
      return options.limit !== undefined ? runs.slice(0, options.limit) : runs;
    });
  }

  async close(): Promise<void> {}

  private runFolder(runId: string): string {
    return join(this.folder, 'runs', safeFileName(runId));
  }

  /** A body's path under the store's folder (also what a run's key list holds). */
  private bodyPath(key: string): string {
    return join('bodies', shardOf(key), safeFileName(key));
  }

  /** The run's folder, created if new, with its last-write time set to now. */
  private async touchRun(runId: string): Promise<string> {
    const runFolder = this.runFolder(runId);
    const idFile = join(runFolder, RUN_ID);
    const now = new Date();
    try {
      await utimes(idFile, now, now);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
      await mkdir(runFolder, { recursive: true });
      await writeIfAbsent(idFile, runId, this.durable);
    }
    return runFolder;
  }

  private async guard<T>(operation: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (err) {
      throw new StoreOperationError(this.location, operation, (err as Error).message, { cause: err });
    }
  }
}

async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw err;
  }
}
