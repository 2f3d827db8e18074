/**
 * A view of a {@linkcode KeyValueStore} that counts every operation (for the run report and the
 * benchmark) and, read-only, drops writes (a dry run or `check` changes nothing).
 */
import type { KeyValueStore, PutOptions } from "../platform.ts";

/** KV operations made through a {@linkcode CountingStore}. A bulk read counts as one read. */
export interface KvCounts {
  reads: number;
  writes: number;
  deletes: number;
  lists: number;
}

/** A KV operation, as an observer of a {@linkcode CountingStore} sees it. */
export type KvOperation =
  | { op: "get"; key: string | string[] }
  | { op: "put"; key: string; value: string }
  | { op: "delete"; key: string }
  | { op: "list" };

/** Options of {@linkcode CountingStore}. */
export interface CountingStoreOptions {
  /** Puts and deletes do nothing (a dry run, `check`). Default false. */
  readOnly?: boolean;
  /** Called after every operation that went through (the benchmark samples the heap there). */
  observe?: (operation: KvOperation) => void;
}

/** Wraps a store; counts what goes through it; with `readOnly`, puts and deletes do nothing. */
export class CountingStore implements KeyValueStore {
  readonly counts: KvCounts = { reads: 0, writes: 0, deletes: 0, lists: 0 };
  constructor(
    private readonly inner: KeyValueStore,
    private readonly options: CountingStoreOptions = {},
  ) {}

  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(keys: string[], type: "text"): Promise<Map<string, string | null>>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  async get(key: string | string[], type: "text" | "json"): Promise<unknown> {
    this.counts.reads++;
    // deno-lint-ignore no-explicit-any
    const value = await (this.inner.get as any)(key, type);
    this.options.observe?.({ op: "get", key });
    return value;
  }
  async put(key: string, value: string, options?: PutOptions): Promise<void> {
    if (this.options.readOnly) return;
    this.counts.writes++;
    await this.inner.put(key, value, options);
    this.options.observe?.({ op: "put", key, value });
  }
  async delete(key: string): Promise<void> {
    if (this.options.readOnly) return;
    this.counts.deletes++;
    await this.inner.delete(key);
    this.options.observe?.({ op: "delete", key });
  }
  async list(options: { prefix?: string; cursor?: string; limit?: number }) {
    this.counts.lists++;
    const result = await this.inner.list(options);
    this.options.observe?.({ op: "list" });
    return result;
  }
}
