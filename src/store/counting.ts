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

/** Wraps a store; counts what goes through it; with `readOnly`, puts and deletes do nothing. */
export class CountingStore implements KeyValueStore {
  readonly counts: KvCounts = { reads: 0, writes: 0, deletes: 0, lists: 0 };
  constructor(
    private readonly inner: KeyValueStore,
    private readonly options: { readOnly?: boolean } = {},
  ) {}

  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(keys: string[], type: "text"): Promise<Map<string, string | null>>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  get(key: string | string[], type: "text" | "json"): Promise<unknown> {
    this.counts.reads++;
    // deno-lint-ignore no-explicit-any
    return (this.inner.get as any)(key, type);
  }
  put(key: string, value: string, options?: PutOptions): Promise<void> {
    if (this.options.readOnly) return Promise.resolve();
    this.counts.writes++;
    return this.inner.put(key, value, options);
  }
  delete(key: string): Promise<void> {
    if (this.options.readOnly) return Promise.resolve();
    this.counts.deletes++;
    return this.inner.delete(key);
  }
  list(options: { prefix?: string; cursor?: string; limit?: number }) {
    this.counts.lists++;
    return this.inner.list(options);
  }
}
