/** Retry with truncated exponential backoff inside a deadline, for both remote APIs. */
import type { Clock } from "./clock.ts";
import { UpstreamError } from "./errors.ts";

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  clock: Clock;
  /** Epoch ms after which no new attempt starts; the last error is thrown instead. */
  deadline: number;
  /** Total attempts, the first included. Default 6. */
  maxAttempts?: number;
  /** Delay before the first retry. Default 500 ms; it doubles after each retry. */
  baseDelayMs?: number;
  /** Upper bound of one backoff delay (Google recommends 32–64 s). Default 32 s. */
  maxDelayMs?: number;
  /** Random jitter added to each delay, at most this many ms. Default 250. */
  jitterMs?: number;
  /** Source of randomness in [0, 1); tests pass a constant. */
  random?: () => number;
  /** Decides whether an error is worth another attempt. Default: `UpstreamError.retryable`. */
  isRetryable?: (error: unknown) => boolean;
}

/**
 * Runs `operation` until it succeeds, a non-retryable error is thrown, the attempts run out, or
 * the next wait would end after `deadline`. The last error is rethrown unchanged.
 *
 * @example
 * const body = await retry(() => callApi(), { clock: systemClock, deadline: Date.now() + 30_000 });
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const {
    clock,
    deadline,
    maxAttempts = 6,
    baseDelayMs = 500,
    maxDelayMs = 32_000,
    jitterMs = 250,
    random = Math.random,
    isRetryable = (e: unknown) => e instanceof UpstreamError && e.retryable,
  } = options;
  for (let attempt = 1;; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) +
        Math.floor(random() * jitterMs);
      // A delay the server asked for (Retry-After, a quota's refill) is honoured beyond the cap:
      // retrying sooner would be refused again. The deadline still bounds it.
      const asked = error instanceof UpstreamError ? error.retryAfterMs ?? 0 : 0;
      const delay = Math.max(Math.min(maxDelayMs, backoff), asked);
      if (clock.now() + delay >= deadline) throw error;
      await clock.sleep(delay);
    }
  }
}
