/**
 * Calltouch's per-IP limit as the clients wait on it: one window for every isolate of the
 * deployment through its `RATE_GATE` Durable Object, or one for this isolate or process (see
 * `util/rate_gate.ts`). Deal requests and the deals journal ask the same one.
 */
import { type Clock, systemClock } from "../util/clock.ts";
import {
  GateLimiter,
  isolateGates,
  type RateGateNamespace,
  type RateLimiter,
} from "../util/rate_gate.ts";

/** Calltouch's documented limit: at most 5 requests per second from one IP. */
export const CALLTOUCH_MAX_REQUESTS_PER_WINDOW = 5;
/** The window of that limit. */
export const CALLTOUCH_RATE_WINDOW_MS = 1000;
/**
 * Added to the window on our side: the gate, the isolate that waits for its start and Calltouch
 * read clocks of different machines. (How late a request arrives is not a margin's business: a
 * request counts until its answer came.)
 */
export const CALLTOUCH_RATE_MARGIN_MS = 100;
/** The time limit of one Calltouch request (deals API and journal alike). */
export const CALLTOUCH_REQUEST_TIMEOUT_MS = 30_000;

const limiters = new WeakMap<Clock, RateLimiter>();

function calltouchLimiter(namespace: RateGateNamespace, clock: Clock, fallback?: RateLimiter) {
  return new GateLimiter({
    namespace,
    key: CALLTOUCH_GATE_KEY,
    limit: CALLTOUCH_MAX_REQUESTS_PER_WINDOW,
    windowMs: CALLTOUCH_RATE_WINDOW_MS + CALLTOUCH_RATE_MARGIN_MS,
    requestMs: CALLTOUCH_REQUEST_TIMEOUT_MS,
    lateMs: CALLTOUCH_RATE_MARGIN_MS / 2,
    clock,
    fallback,
  });
}

/**
 * The Calltouch limiter shared by every client of this isolate/process that uses `clock`
 * (concurrent runs leave from the same IP, so they share one window).
 */
export function sharedCalltouchLimiter(clock: Clock = systemClock): RateLimiter {
  let limiter = limiters.get(clock);
  if (!limiter) {
    limiter = calltouchLimiter(isolateGates(clock), clock);
    limiters.set(clock, limiter);
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
  return calltouchLimiter(namespace, clock, sharedCalltouchLimiter(clock));
}
