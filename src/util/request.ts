/**
 * The one door every outbound request goes through (the Google token, Sheets, Calltouch's deals
 * API and its deals journal): a time limit per attempt that never outlives the run's deadline,
 * the run's request budget and pace taken before each attempt, retries of what may succeed
 * later (network errors, timeouts, 408, 429, 5xx) with backoff that honours `Retry-After`, and
 * one error type for what failed, with a code (`network`, `timeout`, `status`) and the words of
 * the side that asked.
 */
import type { Clock } from "./clock.ts";
import type { Start } from "./rate_gate.ts";
import { isRetryableStatus, parseRetryAfter, type Upstream, UpstreamError } from "./errors.ts";
import { retry } from "./retry.ts";

/** Attempts per request by default, the first included. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** No attempt could start: the run's deadline came, or its request budget ran out. */
export class NotStarted extends Error {
  override readonly name = "NotStarted";
  constructor(readonly why: "deadline" | "budget") {
    super(`no request could start: ${why}`);
  }
}

/** The words of a side for what went wrong in transit (never a URL, header or body). */
export interface TransitWords {
  /**
   * The request failed before an answer: a network error, named by `what` when the error has a
   * name of its own (`AbortError`…; undefined for fetch's plain `TypeError`).
   */
  network(what?: string): string;
  /** No answer within the time limit. */
  timeout(): string;
  /** An answer whose status says "try later" (408, 429, 5xx), after every attempt. */
  status(status: number): string;
}

/** Options of {@linkcode request}. */
export interface RequestOptions {
  upstream: Upstream;
  words: TransitWords;
  fetch: typeof fetch;
  clock: Clock;
  /** Epoch ms (on `clock`): no attempt starts at or after it. */
  deadline: number;
  /** The time limit of one attempt (real time, cut to what is left before `deadline`). */
  timeoutMs: number;
  /**
   * Whether an attempt in flight at `deadline` runs on to its own time limit instead of being
   * cut there: a write that may land is better answered than abandoned (the run keeps a reserve
   * of time for it). Default false: reads end by the deadline.
   */
  outliveDeadline?: boolean;
  /** Taken before every attempt (the run's request budget): false, and none starts. */
  take?: () => boolean;
  /**
   * Waited on before every attempt (a rate limiter): null, and none starts. The start it gives
   * is ended when the attempt ended, whatever its outcome.
   */
  pace?: (deadline: number) => Promise<Start | null>;
  /**
   * How long a "try later" answer without `Retry-After` waits, by status (a per-minute quota's
   * refill); undefined: the backoff alone. Default: the backoff alone.
   */
  retryAfterMs?: (status: number) => number | undefined;
  /** Attempts, the first included. Default {@linkcode DEFAULT_MAX_ATTEMPTS}. */
  maxAttempts?: number;
  /** Whether a failed attempt may be tried again. Default: every retryable failure. */
  retryable?: (error: UpstreamError) => boolean;
  /**
   * Reads every answer before its status is judged, and may throw an error of the side's own
   * that ends the request (not retryable: Calltouch's spent daily points).
   */
  screen?: (answer: Answered) => void;
  /** Called with every attempt that starts (counters). */
  onAttempt?: () => void;
  /** Options of the backoff (tests pass a constant randomness). */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number; jitterMs?: number; random?: () => number };
}

/** An answer: its status and headers, and the body read whole. */
export interface Answered {
  status: number;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
}

const UTF8 = new TextDecoder();

/** The body as text. */
export function textOf(answer: Answered): string {
  return UTF8.decode(answer.body);
}

/**
 * Names a network failure without echoing URLs or headers (they may carry a token): the error's
 * name, or undefined for fetch's plain `TypeError` (the side's words say "network error").
 */
function failureName(error: unknown): string | undefined {
  return error instanceof Error && error.name !== "TypeError" ? error.name : undefined;
}

/**
 * Sends one request (see the module's comment) and returns the first answer that is not a
 * "try later" one, whatever its status: the side reads it.
 *
 * @throws {NotStarted} when no attempt could start at all.
 * @throws {UpstreamError} (`code` `network`, `timeout` or `status`) when every attempt failed,
 * or the next one could not start after one did.
 *
 * @example
 * const answer = await request(url, { method: "POST", body }, { upstream: "calltouch", … });
 */
export async function request(
  url: string | URL,
  init: RequestInit,
  options: RequestOptions,
): Promise<Answered> {
  const { clock, deadline, words, upstream } = options;
  let last: UpstreamError | undefined;
  try {
    return await retry(async () => {
      if (clock.now() >= deadline) throw new NotStarted("deadline");
      const start = options.pace ? await options.pace(deadline) : undefined;
      if (start === null) throw new NotStarted("deadline");
      try {
        if (options.take && !options.take()) throw new NotStarted("budget");
        options.onAttempt?.();
        return await attempt(url, init, options);
      } catch (error) {
        if (error instanceof UpstreamError) last = error;
        throw error;
      } finally {
        await start?.end();
      }
    }, {
      clock,
      deadline,
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      isRetryable: (error) =>
        error instanceof UpstreamError && error.retryable &&
        (options.retryable?.(error) ?? true),
      ...options.backoff,
    });
  } catch (error) {
    // After a failed attempt, "could not start again" means: that failure is the answer.
    if (error instanceof NotStarted && last) throw last;
    throw error;
  }

  async function attempt(
    url: string | URL,
    init: RequestInit,
    options: RequestOptions,
  ): Promise<Answered> {
    const controller = new AbortController();
    let timedOut = false;
    const left = options.outliveDeadline ? Infinity : deadline - clock.now();
    const ms = Math.max(0, Math.min(options.timeoutMs, left));
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    let response: Response;
    let body: Uint8Array<ArrayBuffer>;
    try {
      // Called unbound: workerd refuses a `fetch` called as a method of another object.
      const fetchFn = options.fetch;
      response = await fetchFn(url, { ...init, signal: controller.signal });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      const [code, message] = timedOut
        ? ["timeout", words.timeout()]
        : ["network", words.network(failureName(cause))];
      throw new UpstreamError(message, { upstream, retryable: true, code, cause });
    } finally {
      clearTimeout(timer);
    }
    options.screen?.({ status: response.status, headers: response.headers, body });
    if (isRetryableStatus(response.status)) {
      throw new UpstreamError(words.status(response.status), {
        upstream,
        status: response.status,
        retryable: true,
        code: "status",
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), clock.now()) ??
          options.retryAfterMs?.(response.status),
      });
    }
    return { status: response.status, headers: response.headers, body };
  }
}
