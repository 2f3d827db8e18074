/** A {@linkcode KeyValueStore} view that reads through and drops writes: dry runs change nothing. */
import type { KeyValueStore } from "../platform.ts";

/** Reads from `inner`; `put` and `delete` do nothing. */
export class ReadOnlyStore implements KeyValueStore {
  constructor(private readonly inner: KeyValueStore) {}
  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(keys: string[], type: "text"): Promise<Map<string, string | null>>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  get(key: string | string[], type: "text" | "json"): Promise<unknown> {
    // deno-lint-ignore no-explicit-any
    return (this.inner.get as any)(key, type);
  }
  put(): Promise<void> {
    return Promise.resolve();
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
  list(options: { prefix?: string; cursor?: string; limit?: number }) {
    return this.inner.list(options);
  }
}
