/** The Worker's bindings: the KV namespace plus the settings of `wrangler.toml` and secrets. */
import { calltouchGateLimiter } from "./calltouch/limiter.ts";
import type { KeyValueStore } from "./platform.ts";
import type { SyncDeps } from "./sync/run.ts";
import type { Clock } from "./util/clock.ts";
import type { RateGateNamespace } from "./util/rate_gate.ts";

/** What Cloudflare passes as `env`. Settings arrive as strings; see `src/config.ts`. */
export interface Env {
  SYNC_STATE: KeyValueStore;
  /** The version metadata binding (`[version_metadata]`): a new id with every deploy. */
  CF_VERSION_METADATA?: { id?: string };
  /**
   * The `RateGate` Durable Object (wrangler.toml): Calltouch's per-IP rate held across every
   * isolate. Without it, each isolate paces its own requests.
   */
  RATE_GATE?: RateGateNamespace;
  [setting: string]: unknown;
}

/**
 * What a sync run of the Worker gets from `env`: the KV namespace, the deployed version and the
 * deployment's Calltouch limiter. `clock`: default the system clock (the benchmark passes a
 * faster one).
 */
export function workerDeps(env: Env, clock?: Clock): SyncDeps {
  const deps: SyncDeps = { store: env.SYNC_STATE, build: env.CF_VERSION_METADATA?.id ?? "" };
  if (clock) deps.clock = clock;
  if (isNamespace(env.RATE_GATE)) {
    deps.calltouchLimiter = calltouchGateLimiter(env.RATE_GATE, clock);
  }
  return deps;
}

function isNamespace(value: unknown): value is RateGateNamespace {
  return typeof (value as RateGateNamespace | undefined)?.idFromName === "function";
}
