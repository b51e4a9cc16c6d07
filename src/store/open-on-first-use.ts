/** What a store part has that is not a call to forward: where it is, and how it closes. */
export interface StorePart {
  readonly location: string;
  close(): Promise<void>;
}

/** The names of T's methods that answer with a promise: the calls a stand-in forwards. */
type AsyncCalls<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? (K extends 'close' ? never : K) : never;
}[keyof T];

/**
 * A part (a backend, memory) opened on first use, in place of the part itself: a library user
 * who builds a worker or a client names no store and gets the one the environment names, and a
 * worker whose teams keep no memory never opens it (on PostgreSQL, never creates its table). An
 * open that fails is forgotten, so the next use tries again: the store may be up by then.
 *
 * `calls` lists the part's calls; it is a record so that the compiler says which one a new
 * method of the interface left out.
 */
export function openOnFirstUse<T extends StorePart>(
  location: string,
  open: () => Promise<T>,
  calls: Record<AsyncCalls<T>, true>,
): T & { opened(): Promise<T> } {
  let opening: Promise<T> | null = null;
  const opened = (): Promise<T> =>
    (opening ??= open().catch((err: unknown) => {
      opening = null;
      throw err;
    }));
  const standIn: Record<string, unknown> = {
    location,
    opened,
    async close(): Promise<void> {
      const was = opening;
      opening = null; // a use after closing opens it again
      if (was) await (await was.catch(() => null))?.close();
    },
  };
  for (const name of Object.keys(calls)) {
    standIn[name] = async (...args: unknown[]): Promise<unknown> => {
      const part = (await opened()) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return part[name]!(...args);
    };
  }
  return standIn as unknown as T & { opened(): Promise<T> };
}
