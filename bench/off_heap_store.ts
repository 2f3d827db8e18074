/**
 * The bench's KV: {@linkcode MemoryStore}'s contract (keys, metadata, listing, expiry), with the
 * values kept as UTF-8 bytes outside the V8 heap. In a Worker, KV values live outside the
 * isolate; kept as strings in the bench process, the 1,000 journal entries of a 50,000-deal
 * first sync (~15 MB) would count against the heap cap the bench checks.
 */
import type { KeyValueStore, PutOptions } from "../src/platform.ts";
import { MemoryStore } from "../src/store/memory.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class OffHeapStore implements KeyValueStore {
  /** Keys, metadata and expiry; each value there is "". */
  readonly #keys = new MemoryStore();
  readonly #bytes = new Map<string, Uint8Array>();

  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(keys: string[], type: "text"): Promise<Map<string, string | null>>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  async get(key: string | string[], type: "text" | "json"): Promise<unknown> {
    if (Array.isArray(key)) {
      const present = await this.#keys.get(key, "text");
      return new Map(key.map((k) => [k, present.get(k) === null ? null : this.#read(k, type)]));
    }
    return (await this.#keys.get(key, "text")) === null ? null : this.#read(key, type);
  }

  put(key: string, value: string, options?: PutOptions): Promise<void> {
    this.#bytes.set(key, encoder.encode(value));
    return this.#keys.put(key, "", options);
  }

  delete(key: string): Promise<void> {
    this.#bytes.delete(key);
    return this.#keys.delete(key);
  }

  list(options: { prefix?: string; cursor?: string; limit?: number }) {
    return this.#keys.list(options);
  }

  #read(key: string, type: "text" | "json"): unknown {
    const text = decoder.decode(this.#bytes.get(key));
    return type === "json" ? JSON.parse(text) : text;
  }
}
