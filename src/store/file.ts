/**
 * A {@linkcode KeyValueStore} in one local JSON file: the sync's state outside Cloudflare (the
 * command-line tool). Same contract as Workers KV and `MemoryStore` — bulk reads, prefix listing
 * with a cursor, `expirationTtl` — and every change is on disk, written atomically (a temporary
 * file in the same directory, then a rename), before the promise resolves. Runs under Deno, Bun
 * and Node (`node:` modules only).
 */
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { KeyValueStore, ListedKey, PutOptions } from "../platform.ts";

/** Default place of the state file, relative to the working directory. */
export const DEFAULT_STATE_FILE = ".calltouch-sync/state.json";
/** Version of the file's format; bump it (and migrate) when the layout changes. */
export const STATE_FILE_VERSION = 1;
/** Most keys of one bulk read, as in Workers KV. */
const MAX_BULK_KEYS = 100;
/** Most keys of one `list` page, as in Workers KV. */
const MAX_LIST_LIMIT = 1000;
/**
 * Readable by its owner only: the state holds keyed hashes of deals and an encrypted Google access
 * token, nothing usable without the settings, but nothing for other users of the machine either.
 */
const FILE_MODE = 0o600;

interface Entry {
  value: string;
  /** Epoch ms after which the key is gone. */
  expiresAt?: number;
  /** What `put` was given as `metadata`, returned by `list`. */
  metadata?: unknown;
}

interface StateFile {
  version: number;
  entries: Record<string, Entry>;
}

/** Options of {@linkcode FileStore.open}. */
export interface FileStoreOptions {
  /** Current time in epoch ms, for expiry. Default `Date.now`. */
  now?: () => number;
}

/** The state file exists but cannot be used (not JSON, not this format). */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

/**
 * Keys and values in memory, loaded from `path` once and written back whole after every change.
 * One process at a time should own a file: two overlapping runs lose at most the bookkeeping of
 * the other's last batches, which the sync's create/update fallbacks heal.
 *
 * @example
 * const store = await FileStore.open(".calltouch-sync/state.json");
 * await store.put("v1:a", "1", { expirationTtl: 3600 });
 * await store.get("v1:a", "text"); // "1"
 */
export class FileStore implements KeyValueStore {
  readonly path: string;
  readonly #data: Map<string, Entry>;
  readonly #now: () => number;
  /** The write in progress (or the last one), so writes never overlap. */
  #writing: Promise<void> = Promise.resolve();
  /** A write queued behind it that has not started: later changes ride along with it. */
  #queued: Promise<void> | undefined;

  private constructor(path: string, data: Map<string, Entry>, now: () => number) {
    this.path = path;
    this.#data = data;
    this.#now = now;
  }

  /**
   * Loads the store at `path`; a missing file is an empty store (nothing is written until the
   * first change).
   *
   * @throws {StateFileError} when the file exists but is not a state file.
   */
  static async open(path: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const now = options.now ?? Date.now;
    let text: string | undefined;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as { code?: string }).code !== "ENOENT") throw error;
    }
    const data = new Map<string, Entry>();
    if (text !== undefined) {
      for (const [key, entry] of Object.entries(parseStateFile(path, text).entries)) {
        if (!expired(entry, now())) data.set(key, entry);
      }
    }
    return new FileStore(path, data, now);
  }

  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(keys: string[], type: "text"): Promise<Map<string, string | null>>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  get(key: string | string[], type: "text" | "json"): Promise<unknown> {
    try {
      if (Array.isArray(key)) {
        if (key.length > MAX_BULK_KEYS) {
          throw new RangeError(`You can request a maximum of ${MAX_BULK_KEYS} keys`);
        }
        return Promise.resolve(new Map(key.map((k) => [k, this.#read(k, type)])));
      }
      return Promise.resolve(this.#read(key, type));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  put(key: string, value: string, options?: PutOptions): Promise<void> {
    if (typeof value !== "string") {
      return Promise.reject(new TypeError("FileStore keeps strings only"));
    }
    const ttl = options?.expirationTtl;
    const entry: Entry = { value };
    if (ttl) entry.expiresAt = this.#now() + ttl * 1000;
    if (options?.metadata !== undefined) entry.metadata = options.metadata;
    this.#data.set(key, entry);
    return this.#persist();
  }

  delete(key: string): Promise<void> {
    if (!this.#data.delete(key)) return Promise.resolve();
    return this.#persist();
  }

  list(options: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    keys: ListedKey[];
    list_complete: boolean;
    cursor?: string;
  }> {
    const prefix = options.prefix ?? "";
    const limit = Math.max(1, Math.min(options.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT));
    // The cursor is the last name of the previous page: keys deleted in between shift nothing.
    const after = options.cursor;
    const now = this.#now();
    const names = [...this.#data]
      .filter(([name, entry]) =>
        name.startsWith(prefix) && !expired(entry, now) && (after === undefined || name > after)
      )
      .map(([name]) => name)
      .sort();
    const page = names.slice(0, limit);
    const done = names.length <= limit;
    return Promise.resolve({
      keys: page.map((name) => {
        const metadata = this.#data.get(name)!.metadata;
        return metadata === undefined ? { name } : { name, metadata };
      }),
      list_complete: done,
      ...(done ? {} : { cursor: page[page.length - 1] }),
    });
  }

  #read(key: string, type: "text" | "json"): unknown {
    const entry = this.#data.get(key);
    if (!entry || expired(entry, this.#now())) return null;
    return type === "json" ? JSON.parse(entry.value) : entry.value;
  }

  /** Resolves once a write that includes every change made so far is on disk. */
  #persist(): Promise<void> {
    if (this.#queued) return this.#queued;
    const queued = this.#writing.catch(() => undefined).then(() => {
      this.#queued = undefined;
      return this.#write();
    });
    this.#queued = queued;
    this.#writing = queued;
    return queued;
  }

  async #write(): Promise<void> {
    const now = this.#now();
    const file: StateFile = { version: STATE_FILE_VERSION, entries: {} };
    for (const [key, entry] of [...this.#data].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (expired(entry, now)) this.#data.delete(key);
      else file.entries[key] = entry;
    }
    await writeAtomically(this.path, JSON.stringify(file, null, 1) + "\n");
  }
}

function expired(entry: Entry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}

function parseStateFile(path: string, text: string): StateFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFileError(
      `The state file ${path} is not valid JSON. Move it away to start with an empty state ` +
        "(the next sync then re-sends every deal as an update or create; no duplicates).",
    );
  }
  const file = json as Partial<StateFile> | null;
  const entries = file?.entries;
  const wellFormed = typeof file === "object" && file !== null &&
    file.version === STATE_FILE_VERSION && typeof entries === "object" && entries !== null &&
    Object.values(entries).every((e) =>
      typeof e?.value === "string" && (e.expiresAt === undefined || typeof e.expiresAt === "number")
    );
  if (!wellFormed) {
    throw new StateFileError(
      `The file ${path} is not a calltouch-sync state file (version ${STATE_FILE_VERSION}).`,
    );
  }
  return file as StateFile;
}

/** Writes `text` to a temporary file next to `path`, flushes it, then renames it over `path`. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temporary = join(
    directory,
    `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  try {
    const handle = await open(temporary, "wx", FILE_MODE);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
