/** An in-memory {@linkcode KeyValueStore}: state for one process (tests, one-off CLI runs). */
import type { KeyValueStore, PutOptions } from "../platform.ts";

/** Keys and values in a Map, with KV's semantics for bulk reads, listing and expiry. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, { value: string; expiresAt?: number; metadata?: unknown }>();
  constructor(private readonly now: () => number = Date.now) {}

  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(keys: string[], type: "text"): Promise<Map<string, string | null>>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  get(key: string | string[], type: "text" | "json"): Promise<unknown> {
    if (Array.isArray(key)) {
      if (key.length > 100) throw new Error("You can request a maximum of 100 keys");
      return Promise.resolve(new Map(key.map((k) => [k, this.read(k, type)])));
    }
    return Promise.resolve(this.read(key, type));
  }

  put(key: string, value: string, options?: PutOptions): Promise<void> {
    const expiresAt = options?.expirationTtl
      ? this.now() + options.expirationTtl * 1000
      : undefined;
    this.data.set(key, { value, expiresAt, metadata: options?.metadata });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.data.delete(key);
    return Promise.resolve();
  }

  list(options: { prefix?: string; cursor?: string; limit?: number }) {
    const prefix = options.prefix ?? "";
    const limit = Math.min(options.limit ?? 1000, 1000);
    const start = options.cursor ? Number(options.cursor) : 0;
    const names = [...this.data.keys()].filter((k) => k.startsWith(prefix) && this.live(k)).sort();
    const page = names.slice(start, start + limit);
    const done = start + limit >= names.length;
    return Promise.resolve({
      keys: page.map((name) => {
        const metadata = this.data.get(name)!.metadata;
        return metadata === undefined ? { name } : { name, metadata };
      }),
      list_complete: done,
      cursor: done ? undefined : String(start + limit),
    });
  }

  private live(key: string): boolean {
    const entry = this.data.get(key);
    if (!entry) return false;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.data.delete(key);
      return false;
    }
    return true;
  }

  private read(key: string, type: "text" | "json"): unknown {
    if (!this.live(key)) return null;
    const value = this.data.get(key)!.value;
    return type === "json" ? JSON.parse(value) : value;
  }
}
