/**
 * The rate limiters of Calltouch's per-IP limit: a sliding window in this isolate, and the same
 * window shared by every isolate of the deployment through its `RATE_GATE` Durable Object (see
 * `util/rate_gate.ts`). Deal requests and the deals journal ask the same one.
 */
import { type Clock, systemClock } from "../util/clock.ts";
import { GateLimiter, type RateGateNamespace } from "../util/rate_gate.ts";

/** Calltouch's documented limit: at most 5 requests per second from one IP. */
export const CALLTOUCH_MAX_REQUESTS_PER_WINDOW = 5;
/** The window of that limit. */
export const CALLTOUCH_RATE_WINDOW_MS = 1000;
/**
 * Added to the window on our side: requests are counted when they arrive at Calltouch, and
 * network jitter can bring two of them closer together than they were sent.
 */
export const CALLTOUCH_RATE_MARGIN_MS = 100;

/** Sleeps of one acquisition before giving up on a clock that does not advance. */
const MAX_WAITS = 100;

/** Grants permission to start a request; what {@linkcode CalltouchClient} waits on. */
export interface RateLimiter {
  /**
   * Waits for a slot and takes it; resolves `false`, taking nothing, when no slot comes before
   * `deadline` (epoch ms).
   */
  acquire(deadline?: number): Promise<boolean>;
}

/** Options of {@linkcode SlidingWindowLimiter}. */
export interface SlidingWindowLimiterOptions {
  /** Most grants in any window. */
  limit: number;
  /** Length of the window in ms. */
  windowMs: number;
  /** Default: the system clock. */
  clock?: Clock;
}

/**
 * Grants at most `limit` starts in any `windowMs`, first come first served, waiting on the
 * injected clock.
 *
 * @example
 * const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000 });
 * if (await limiter.acquire(deadline)) await fetch(url);
 */
export class SlidingWindowLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  /** Times of the last grants, oldest first, at most `limit` of them. */
  #grants: number[] = [];
  /** Serialises waiters so grants are given in call order. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SlidingWindowLimiterOptions) {
    if (!(Number.isInteger(options.limit) && options.limit > 0)) {
      throw new RangeError(`limit must be a positive integer, got ${options.limit}`);
    }
    if (!(options.windowMs > 0)) {
      throw new RangeError(`windowMs must be positive, got ${options.windowMs}`);
    }
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Waits for a slot and takes it. Resolves `false`, taking nothing, when the slot would only
   * come at or after `deadline` (epoch ms); without a deadline it always resolves `true`.
   */
  acquire(deadline = Infinity): Promise<boolean> {
    const granted = this.#queue.then(() => this.#take(deadline));
    this.#queue = granted.catch(() => undefined);
    return granted;
  }

  async #take(deadline: number): Promise<boolean> {
    // One sleep normally frees a slot; a real timer may fire a millisecond early, hence a few.
    for (let i = 0; i < MAX_WAITS; i++) {
      const now = this.clock.now();
      this.#grants = this.#grants.filter((t) => t > now - this.windowMs);
      if (this.#grants.length < this.limit) {
        if (now >= deadline) return false;
        this.#grants.push(now);
        return true;
      }
      const wait = Math.max(1, this.#grants[0] + this.windowMs - now);
      if (now + wait >= deadline) return false;
      await this.clock.sleep(wait);
    }
    throw new Error("SlidingWindowLimiter: the clock did not advance while sleeping");
  }
}

const shared = new WeakMap<Clock, SlidingWindowLimiter>();

/**
 * The Calltouch limiter shared by every client of this isolate/process that uses `clock`
 * (concurrent runs leave from the same IP, so they share one budget).
 */
export function sharedCalltouchLimiter(clock: Clock = systemClock): SlidingWindowLimiter {
  let limiter = shared.get(clock);
  if (!limiter) {
    limiter = new SlidingWindowLimiter({
      limit: CALLTOUCH_MAX_REQUESTS_PER_WINDOW,
      windowMs: CALLTOUCH_RATE_WINDOW_MS + CALLTOUCH_RATE_MARGIN_MS,
      clock,
    });
    shared.set(clock, limiter);
  }
  return limiter;
}

/** The gate's key of Calltouch's limit (one Durable Object for the deployment). */
export const CALLTOUCH_GATE_KEY = "calltouch";

/**
 * The Calltouch limiter of a deployment with a `RATE_GATE` binding: one window for every
 * isolate (queue consumers, HTTP runs, the cron tick), falling back to this isolate's
 * {@linkcode sharedCalltouchLimiter} when the gate cannot be reached.
 */
export function calltouchGateLimiter(
  namespace: RateGateNamespace,
  clock: Clock = systemClock,
): RateLimiter {
  return new GateLimiter({
    namespace,
    key: CALLTOUCH_GATE_KEY,
    limit: CALLTOUCH_MAX_REQUESTS_PER_WINDOW,
    windowMs: CALLTOUCH_RATE_WINDOW_MS + CALLTOUCH_RATE_MARGIN_MS,
    lateMs: CALLTOUCH_RATE_MARGIN_MS / 2,
    clock,
    fallback: sharedCalltouchLimiter(clock),
  });
}
