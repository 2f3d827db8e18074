/**
 * The small part of the Workers runtime API the sync uses, typed here so the same core runs
 * under workerd, Deno and Bun. (`@cloudflare/workers-types` declares globals that clash with
 * Deno's DOM types, and its module form type-checks as `any` under Deno.)
 */

/** Options of {@linkcode KeyValueStore.put}, as in Workers KV. */
export interface PutOptions {
  /** Seconds until the key expires (at least 60 in KV). */
  expirationTtl?: number;
  /** A small JSON value kept with the key and returned by `list` (at most 1024 bytes in KV). */
  metadata?: unknown;
}

/** One key of a `list` page, with the metadata it was put with. */
export interface ListedKey {
  name: string;
  metadata?: unknown;
}

/**
 * The subset of a Workers KV namespace the sync needs. A `KVNamespace` binding satisfies it;
 * the command-line tool passes a JSON-file store with the same contract.
 */
export interface KeyValueStore {
  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  /** Bulk reads of up to 100 keys in one operation; missing keys map to null. */
  get(keys: string[], type: "text"): Promise<Map<string, string | null>>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  put(key: string, value: string, options?: PutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    keys: ListedKey[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

/** What the scheduled handler receives (`ScheduledController`). */
export interface ScheduledEvent {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry(): void;
}

/** The execution context of an invocation (`ExecutionContext`). */
export interface InvocationContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

/** A Cloudflare Queues producer binding (`Queue`), as far as the sync uses it. */
export interface QueueProducer<Body = unknown> {
  send(body: Body, options?: { delaySeconds?: number }): Promise<void>;
  sendBatch(messages: Iterable<{ body: Body; delaySeconds?: number }>): Promise<void>;
}

/** One message a queue consumer receives (`Message`). */
export interface QueueMessage<Body = unknown> {
  readonly id: string;
  readonly body: Body;
  /** Deliveries so far, this one included. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** What the queue handler receives (`MessageBatch`). */
export interface QueueBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
}
