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
}

let bundled: Promise<string> | undefined;

/** Bundles `src/worker.ts` into a temp file once per process and returns its path. */
export function bundleWorker(): Promise<string> {
  bundled ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "cts-worker-" });
    const out = `${dir}/worker.js`;
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform=browser", "-o", out, "src/worker.ts"],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`deno bundle failed: ${new TextDecoder().decode(stderr)}`);
    return out;
  })();
  return bundled;
}

/** A running Worker and handles on its runtime. */
export interface TestWorker {
  /** The Worker's address on 127.0.0.1 (for a browser). */
  url: string;
  /** Sends a request to the Worker; `path` is relative to http://worker.test. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Runs the real scheduled handler. */
  scheduled(cron?: string): Promise<{ outcome: string; noRetry: boolean }>;
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
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ["SYNC_STATE"],
    kvPersist: options.kvPersist ?? false,
    ...(options.queue
      ? {
        queueProducers: { SYNC_QUEUE: { queueName: QUEUE } },
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
    // A deployed Worker gets its version id from the version metadata binding.
    bindings: { CF_VERSION_METADATA: { id: options.build ?? "test-build" }, ...options.bindings },
    cf: false,
    handleRuntimeStdio(stdout: NodeStream, stderr: NodeStream) {
      for (const stream of [stdout, stderr]) {
        stream.on("data", (chunk: Uint8Array) => logs.push(new TextDecoder().decode(chunk)));
      }
    },
  });
  const url = (await mf.ready).href.replace(/\/$/, "");
  const kv = await mf.getKVNamespace("SYNC_STATE") as unknown as KeyValueStore;
  return {
    url,
    logs,
    kv,
    async fetch(path, init) {
      // Miniflare's Response is undici's; turn it into a standard one for the tests.
      const res = await mf.dispatchFetch(
        new URL(path, "http://worker.test").href,
        init as never,
      );
      const body = await res.arrayBuffer();
      return new Response(body.byteLength ? body : null, {
        status: res.status,
        headers: Object.fromEntries(res.headers.entries()),
      });
    },
    async scheduled(cron = "*/5 * * * *") {
      // Miniflare's own typings resolve to workers-types classes that Deno mis-reads.
      const worker = await mf.getWorker() as unknown as ScheduledFetcher;
      return await worker.scheduled({ cron, scheduledTime: new Date() });
    },
    dispose: () => mf.dispose(),
  };
}
