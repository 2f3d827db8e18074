/**
 * Boots the real Worker in workerd (Miniflare 4) for end-to-end tests, with real local KV.
 * The Worker is bundled once per test process with `deno bundle`, the same single ES module
 * shape that wrangler uploads.
 */
import { Miniflare } from "miniflare";
import type { KeyValueStore } from "../../src/platform.ts";

const ROOT = new URL("../../", import.meta.url);
/** Accepted by the workerd inside Miniflare 4; keep equal to wrangler.toml. */
export const COMPATIBILITY_DATE = "2026-08-01";

interface NodeStream {
  on(event: "data", listener: (chunk: Uint8Array) => void): void;
}
interface ScheduledFetcher {
  scheduled(options: { cron: string; scheduledTime: Date }): Promise<
    { outcome: string; noRetry: boolean }
  >;
  queue(
    queueName: string,
    messages: { id: string; timestamp: Date; body: unknown; attempts: number }[],
  ): Promise<QueueResult>;
}

/** What a queue invocation answered (Miniflare's `FetcherQueueResult`). */
export interface QueueResult {
  outcome: string;
  ackAll: boolean;
  retryBatch: { retry: boolean; delaySeconds?: number };
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds?: number }[];
}

const bundled = new Map<string, Promise<string>>();

/**
 * Bundles `entry` (default `src/worker.ts`; the benchmark bundles its own entry) into a temp
 * file once per process and returns its path.
 */
export function bundleWorker(entry = "src/worker.ts"): Promise<string> {
  let bundle = bundled.get(entry);
  if (!bundle) {
    bundle = (async () => {
      const dir = await Deno.makeTempDir({ prefix: "cts-worker-" });
      const out = `${dir}/worker.js`;
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["bundle", "--quiet", "--platform=browser", "-o", out, entry],
        cwd: ROOT,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (code !== 0) throw new Error(`deno bundle failed: ${new TextDecoder().decode(stderr)}`);
      return out;
    })();
    bundled.set(entry, bundle);
  }
  return bundle;
}

/** A running Worker and handles on its runtime. */
export interface TestWorker {
  /** The Worker's address on 127.0.0.1 (for a browser). */
  url: string;
  /** Sends a request to the Worker; `path` is relative to http://worker.test. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Runs the real scheduled handler. */
  scheduled(cron?: string): Promise<{ outcome: string; noRetry: boolean }>;
  /** How many isolates run the Worker (see {@linkcode StartWorkerOptions.isolates}). */
  isolates: number;
  /** {@linkcode fetch} on isolate `index` (0 is the one `fetch` uses). */
  fetchOn(index: number, path: string, init?: RequestInit): Promise<Response>;
  /**
   * Delivers a batch of `bodies` to the queue handler of isolate `index` at once, as a queue
   * consumer invocation of its own (Cloudflare runs several concurrently; the local queue, one
   * at a time).
   */
  deliver(index: number, bodies: unknown[], queue?: string): Promise<QueueResult>;
  /** The Worker's real local KV namespace `SYNC_STATE`. */
  kv: KeyValueStore;
  /** Every line the Worker wrote with console.* (for privacy assertions). */
  logs: string[];
  /** Replaces the settings (restarts the runtime, keeps KV when `kvPersist` is set). */
  dispose(): Promise<void>;
}

/** Options of {@linkcode startWorker}. */
export interface StartWorkerOptions {
  /** Settings and secrets, as strings. */
  bindings?: Record<string, string>;
  /** Directory for KV persistence, so a second Worker can see the first one's state. */
  kvPersist?: string;
  /**
   * Bind `SYNC_QUEUE` to a local queue consumed by the Worker itself (`max_batch_size = 1`, as
   * wrangler.toml), with its dead-letter queue, as Cloudflare Queues deliver them.
   */
  queue?: { maxRetries?: number; retryDelaySeconds?: number };
  /** The Worker's code: another build's bundle (see `olderBuild`). Default: this source. */
  script?: string;
  /** The deployed version's id (`CF_VERSION_METADATA`). Default "test-build". */
  build?: string;
  /**
   * Isolates running the Worker, each its own workerd worker (as Cloudflare runs concurrent
   * invocations), sharing the KV namespace and the `RATE_GATE` Durable Object. Default 1.
   */
  isolates?: number;
  /**
   * Bind the `RateGate` Durable Object as `RATE_GATE`, as wrangler.toml does. Default: true for
   * this source, false for another build's `script` (which may not export it).
   */
  rateGate?: boolean;
}

/**
 * The bundle of an earlier release, kept in `test/fixtures/builds/` (gzip), to test a new build
 * over the state an older one left in KV.
 */
export async function olderBuild(commit: string): Promise<string> {
  const file = new URL(`test/fixtures/builds/worker-${commit}.js.gz`, ROOT);
  const gz = await Deno.readFile(file);
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

/** The queue names of wrangler.toml. */
export const QUEUE = "calltouch-sync";
export const DEAD_LETTER_QUEUE = "calltouch-sync-dead";

/** Starts the Worker in workerd. Always `dispose()` it (use try/finally). */
export async function startWorker(options: StartWorkerOptions = {}): Promise<TestWorker> {
  const script = options.script ?? await Deno.readTextFile(await bundleWorker());
  const logs: string[] = [];
  const isolates = Math.max(1, options.isolates ?? 1);
  const rateGate = options.rateGate ?? options.script === undefined;
  const names = Array.from({ length: isolates }, (_, i) => `isolate${i}`);
  const workers = names.map((name, i) => ({
    name,
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ["SYNC_STATE"],
    ...(rateGate
      ? {
        // One object for the deployment: every isolate asks the first one's class.
        durableObjects: {
          RATE_GATE: { className: "RateGate", useSQLite: true, scriptName: names[0] },
        },
      }
      : {}),
    ...(options.queue
      ? {
        queueProducers: { SYNC_QUEUE: { queueName: QUEUE } },
        ...(i === 0
          ? {
            queueConsumers: {
              [QUEUE]: {
                maxBatchSize: 1,
                maxBatchTimeout: 0,
                maxRetries: options.queue.maxRetries ?? 2,
                deadLetterQueue: DEAD_LETTER_QUEUE,
                ...(options.queue.retryDelaySeconds !== undefined
                  ? { retryDelay: options.queue.retryDelaySeconds }
                  : {}),
              },
              [DEAD_LETTER_QUEUE]: { maxBatchSize: 1, maxBatchTimeout: 0 },
            },
          }
          : {}),
      }
      : {}),
    // A deployed Worker gets its version id from the version metadata binding.
    bindings: { CF_VERSION_METADATA: { id: options.build ?? "test-build" }, ...options.bindings },
  }));
  const mf = new Miniflare({
    workers,
    kvPersist: options.kvPersist ?? false,
    cf: false,
    handleRuntimeStdio(stdout: NodeStream, stderr: NodeStream) {
      for (const stream of [stdout, stderr]) {
        stream.on("data", (chunk: Uint8Array) => logs.push(new TextDecoder().decode(chunk)));
      }
    },
  });
  const url = (await mf.ready).href.replace(/\/$/, "");
  const kv = await mf.getKVNamespace("SYNC_STATE", names[0]) as unknown as KeyValueStore;
  // Miniflare's own typings resolve to workers-types classes that Deno mis-reads.
  const worker = async (index: number) =>
    await mf.getWorker(names[index]) as unknown as ScheduledFetcher & {
      fetch(url: string, init?: unknown): Promise<Response>;
    };
  const fetchOn = async (index: number, path: string, init?: RequestInit) => {
    // Miniflare's Response is undici's; turn it into a standard one for the tests.
    const href = new URL(path, "http://worker.test").href;
    // The first isolate through Miniflare's entry, as a browser reaches a deployed Worker (the
    // request keeps its URL, which the panel's same-origin check compares); the others directly.
    const res = index === 0
      ? await mf.dispatchFetch(href, init as never)
      : await (await worker(index)).fetch(href, init as never);
    const body = await res.arrayBuffer();
    return new Response(body.byteLength ? body : null, {
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
    });
  };
  let delivered = 0;
  return {
    url,
    logs,
    kv,
    isolates,
    fetch: (path, init) => fetchOn(0, path, init),
    fetchOn,
    async deliver(index, bodies, queue = QUEUE) {
      const messages = bodies.map((body) => ({
        id: `delivered-${++delivered}`,
        timestamp: new Date(),
        body,
        attempts: 1,
      }));
      return await (await worker(index)).queue(queue, messages);
    },
    async scheduled(cron = "*/5 * * * *") {
      return await (await worker(0)).scheduled({ cron, scheduledTime: new Date() });
    },
    dispose: () => mf.dispose(),
  };
}
