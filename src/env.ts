/** The Worker's bindings: the KV namespace plus the settings of `wrangler.toml` and secrets. */
import { calltouchGateLimiter } from "./calltouch/limiter.ts";
import { REQUEST_TIMEOUT_MS } from "./google/sheets.ts";
import type { KeyValueStore } from "./platform.ts";
import { gatedReadsAt, GOOGLE_GATE_WINDOW_MS } from "./schedule.ts";
import { deploymentSetting } from "./settings/config.ts";
import type { SyncDeps } from "./sync/run.ts";
import type { Clock } from "./util/clock.ts";
import {
  GateLimiter,
  isolateGates,
  type RateGateNamespace,
  type RateLimiter,
} from "./util/rate_gate.ts";

/** What Cloudflare passes as `env`. Settings arrive as strings; see `src/settings/`. */
export interface Env {
  SYNC_STATE: KeyValueStore;
  /** The version metadata binding (`[version_metadata]`): a new id with every deploy. */
  CF_VERSION_METADATA?: { id?: string };
  /**
   * The `RateGate` Durable Object (wrangler.toml): Calltouch's per-IP rate and each service
   * account's Google reads held across every isolate. Without it, each isolate paces its own
   * Calltouch requests, and Google's quota rests on the schedule and the 429 wait.
   */
  RATE_GATE?: RateGateNamespace;
  [setting: string]: unknown;
}

/**
 * What a sync run of the Worker gets from `env`: the KV namespace, the deployed version, and the
 * deployment's Calltouch limiter and Google read gates. `clock`: default the system clock (the
 * benchmark passes a faster one).
 */
export function workerDeps(env: Env, clock?: Clock): SyncDeps {
  const deps: SyncDeps = { store: env.SYNC_STATE, build: env.CF_VERSION_METADATA?.id ?? "" };
  if (clock) deps.clock = clock;
  if (isNamespace(env.RATE_GATE)) {
    const gate = env.RATE_GATE;
    const limit = gatedReadsAt(deploymentSetting(env, "GOOGLE_READS_PER_MINUTE") as number);
    deps.calltouchLimiter = calltouchGateLimiter(gate, clock);
    deps.googleReadGate = (account) =>
      googleReadLimiter(gate, account, limit, clock, googleFallback(account, limit, clock));
  }
  return deps;
}

function isNamespace(value: unknown): value is RateGateNamespace {
  return typeof (value as RateGateNamespace | undefined)?.idFromName === "function";
}

const fallbacks = new Map<string, RateLimiter>();

/** This isolate's window of a service account's reads, should the gate be unreachable. */
function googleFallback(account: string, limit: number, clock?: Clock): RateLimiter {
  const key = `${account}:${limit}`;
  let limiter = fallbacks.get(key);
  if (!limiter) {
    limiter = googleReadLimiter(isolateGates(clock), account, limit, clock);
    fallbacks.set(key, limiter);
  }
  return limiter;
}

/** The gate of a service account's reads, on `namespace`. */
function googleReadLimiter(
  namespace: RateGateNamespace,
  account: string,
  limit: number,
  clock?: Clock,
  fallback?: RateLimiter,
): RateLimiter {
  return new GateLimiter({
    namespace,
    key: `google:${account}`,
    limit,
    windowMs: GOOGLE_GATE_WINDOW_MS,
    requestMs: REQUEST_TIMEOUT_MS,
    lateMs: (GOOGLE_GATE_WINDOW_MS - 60_000) / 2,
    clock,
    fallback,
  });
}
