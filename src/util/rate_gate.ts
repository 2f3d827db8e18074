/**
 * One rate limit for every isolate of a deployment. Queue consumers run concurrently in isolates
 * of their own (often on other machines), and so do the HTTP runs beside them: an in-memory
 * limiter holds only within one isolate, while Calltouch counts every request from the
 * deployment's IP. `RateGate` is a Durable Object (one instance per limit, worldwide) that hands
 * out start times from a sliding window of reservations; {@linkcode GateLimiter} asks it before
 * each request and waits on its own clock, so the object never holds a request open.
 *
 * Reservations live in the object's memory, not its storage: a window is seconds long, and an
 * object is evicted only after it sat idle for longer than that. One request to the object per
 * request it paces (Durable Objects: 100,000 requests a day on the Free plan).
 */
import { type Clock, systemClock } from "./clock.ts";

/** What the gate is asked: a start time for one request under `limit` per `windowMs`. */
export interface GateAsk {
  limit: number;
  windowMs: number;
  /**
   * The caller's clock (epoch ms). The gate takes the later of it and its own: in workerd a
   * clock stands still while code runs, so a caller that parsed a sheet since its last I/O asks
   * with a time that is already past, and a start recorded at it would be earlier than the
   * request's real one.
   */
  now: number;
  /** No slot at or after this (epoch ms); null: no deadline. */
  deadline: number | null;
}

/**
 * The earliest start at or after `now` that keeps at most `limit` starts in any `windowMs`,
 * given the starts granted so far (ascending; they are granted in order, so a new one is never
 * earlier than the last). Pure.
 *
 * @example
 * reserveSlot([0, 0, 0, 0, 0], { now: 200, limit: 5, windowMs: 1000 }); // 1000
 */
export function reserveSlot(
  granted: readonly number[],
  options: { now: number; limit: number; windowMs: number },
): number {
  const { now, limit, windowMs } = options;
  let at = Math.max(now, granted.at(-1) ?? -Infinity);
  if (granted.length >= limit) at = Math.max(at, granted[granted.length - limit] + windowMs);
  return at;
}

/** The answer of the gate: when the request may start, or null (not before the deadline). */
export interface GateAnswer {
  at: number | null;
}

/**
 * The Durable Object: one instance per limit (`idFromName("calltouch")`), granting start times
 * in order of asking. A plain class with `fetch` (no `cloudflare:workers` import), so the same
 * module bundles for workerd and type-checks under Deno.
 */
export class RateGate {
  /** Starts granted, ascending; only the last `limit` matter. */
  #granted: number[] = [];
  readonly #clock: Clock;

  /** `clock`: default the system clock (the benchmark's Worker passes its faster one). */
  constructor(_state?: unknown, _env?: unknown, clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /** `POST` a {@linkcode GateAsk}; answers a {@linkcode GateAnswer}. */
  async fetch(request: Request): Promise<Response> {
    const ask = await request.json().catch(() => undefined) as Partial<GateAsk> | undefined;
    if (
      !ask || !Number.isInteger(ask.limit) || (ask.limit as number) < 1 ||
      !(typeof ask.windowMs === "number" && ask.windowMs > 0) ||
      !(typeof ask.now === "number" && Number.isFinite(ask.now))
    ) {
      return Response.json({ error: "expected {limit, windowMs, now, deadline}" }, { status: 400 });
    }
    const { limit, windowMs } = ask as GateAsk;
    const now = Math.max(ask.now as number, this.#clock.now());
    const at = reserveSlot(this.#granted, { now, limit, windowMs });
    if (typeof ask.deadline === "number" && at >= ask.deadline) {
      return Response.json({ at: null } satisfies GateAnswer);
    }
    this.#granted.push(at);
    if (this.#granted.length > limit) this.#granted.splice(0, this.#granted.length - limit);
    return Response.json({ at } satisfies GateAnswer);
  }
}

/** The Durable Object namespace binding of {@linkcode RateGate}, as far as it is used. */
export interface RateGateNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** Options of {@linkcode GateLimiter}. */
export interface GateLimiterOptions {
  /** The `RATE_GATE` binding. */
  namespace: RateGateNamespace;
  /** Which limit: one object per key (`calltouch`). */
  key: string;
  limit: number;
  windowMs: number;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * How late a start may be taken (ms after the one granted): half the window's margin. A start
   * taken later (the isolate was busy with another run when its timer was due) could fall into
   * the next window's second, so a new one is asked for instead.
   */
  lateMs: number;
  /**
   * Asked instead when the gate cannot be reached (then the limit holds per isolate only, and
   * the failure is logged once per isolate).
   */
  fallback: { acquire(deadline?: number): Promise<boolean> };
}

let warned = false;

/** Starts taken too late that are asked for again, at most, before giving up (see `lateMs`). */
const MAX_LATE_ROUNDS = 5;

/**
 * A rate limiter (`acquire(deadline)`, as `calltouch/limiter.ts`'s) backed by the deployment's
 * {@linkcode RateGate}: every isolate that asks the same key shares one window.
 *
 * @example
 * const limiter = new GateLimiter({ namespace: env.RATE_GATE, key: "calltouch", limit: 5,
 *   windowMs: 1100, fallback: sharedCalltouchLimiter() });
 * if (await limiter.acquire(deadline)) await fetch(url);
 */
export class GateLimiter {
  readonly #options: GateLimiterOptions;
  readonly #clock: Clock;

  constructor(options: GateLimiterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Reserves a start with the gate and waits for it; resolves `false`, taking nothing, when the
   * start would come at or after `deadline` (epoch ms).
   */
  async acquire(deadline = Infinity): Promise<boolean> {
    // Bounded: each round waits for a granted start, so a busy isolate re-asks a few times only.
    for (let round = 0; round < MAX_LATE_ROUNDS; round++) {
      const at = await this.#reserve(deadline);
      if (at === "fallback") return await this.#options.fallback.acquire(deadline);
      if (at === null) return false;
      const wait = at - this.#clock.now();
      if (wait > 0) await this.#clock.sleep(wait);
      if (this.#clock.now() - at <= this.#options.lateMs) return true;
    }
    return false;
  }

  /** A start from the gate (epoch ms), null when none before the deadline, or "fallback". */
  async #reserve(deadline: number): Promise<number | null | "fallback"> {
    const { namespace, key, limit, windowMs } = this.#options;
    let answer: GateAnswer;
    try {
      const stub = namespace.get(namespace.idFromName(key));
      const ask: GateAsk = {
        limit,
        windowMs,
        now: this.#clock.now(),
        deadline: Number.isFinite(deadline) ? deadline : null,
      };
      const response = await stub.fetch("https://rate-gate/", {
        method: "POST",
        body: JSON.stringify(ask),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answer = await response.json() as GateAnswer;
    } catch (error) {
      if (!warned) {
        warned = true;
        console.error(JSON.stringify({
          event: "rate_gate.unavailable",
          key,
          error: error instanceof Error ? error.message : String(error),
        }));
      }
      return "fallback";
    }
    return answer.at;
  }
}
