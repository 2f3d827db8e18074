/**
 * The Calltouch deals client: sends create/update orders in batches of at most 100, at most
 * 5 requests per second, retrying what may succeed later, inside a deadline, and reads one
 * outcome per order.
 *
 * @see https://www.calltouch.ru/support/api-metod-sozdaniya-sdelok
 * @see https://www.calltouch.ru/support/api-metod-obnovleniya-sdelok
 */
import type { Language } from "../deal.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { isRetryableStatus, parseRetryAfter, UpstreamError } from "../util/errors.ts";
import { retry } from "../util/retry.ts";
import { type RateLimiter, sharedCalltouchLimiter } from "./limiter.ts";
import { OUTCOME_TEXTS, type OutcomeTexts } from "./messages.ts";
import { createRequest, updateRequest } from "./payload.ts";
import {
  type Operation,
  type OrderOutcome,
  readOrdersResponse,
  refusalReason,
  transient,
  type TransientWhy,
} from "./results.ts";
import type { CreateOrder, UpdateOrder } from "./types.ts";

export type { OrderOutcome, TransientWhy } from "./results.ts";

/** Most orders in one request (Calltouch's documented batch limit). */
export const CALLTOUCH_BATCH_SIZE = 100;
/** Attempts per request, the first included, for network errors, 408, 429 and 5xx. */
export const CALLTOUCH_MAX_ATTEMPTS = 5;
/** One request is abandoned (and counted as a network error) after this long. */
export const CALLTOUCH_REQUEST_TIMEOUT_MS = 30_000;
/**
 * Extra requests one refused batch may spend on bisection to find the orders Calltouch refuses
 * (one bad order among 100 costs 14).
 */
export const CALLTOUCH_MAX_BISECT_REQUESTS = 20;
/** The default `crm` of create requests (the `CRM_NAME` setting's default). */
export const DEFAULT_CRM = "Google Sheets";

/** Paths of the two methods, relative to the base URL. */
export const CALLTOUCH_PATHS = {
  create: "/lead-service/v1/api/client-order/create",
  update: "/lead-service/v1/api/client-order/update",
} as const satisfies Record<Operation, string>;

/** Options of {@linkcode CalltouchClient}. */
export interface CalltouchClientOptions {
  /** API origin, e.g. `https://api.calltouch.ru` (`config.calltouch.apiUrl`). */
  baseUrl: string;
  /** Project id, sent as `SiteId`. */
  siteId: string;
  /** API key, sent as `Access-Token`. */
  token: string;
  /** `crm` of create requests. Default {@linkcode DEFAULT_CRM}. */
  crm?: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * Default: {@linkcode sharedCalltouchLimiter} of `clock`, shared by every client of the
   * isolate (5 requests per second).
   */
  limiter?: RateLimiter;
  /** Language of outcome messages. Default `"ru"`. */
  language?: Language;
  /** Default {@linkcode CALLTOUCH_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  /** Default {@linkcode CALLTOUCH_MAX_ATTEMPTS}. */
  maxAttempts?: number;
}

/** Options of {@linkcode CalltouchClient.create} and {@linkcode CalltouchClient.update}. */
export interface SendOptions {
  /** Epoch ms: no request starts at or after it; what is left comes back `transient`. */
  deadline: number;
  /**
   * Awaited after each batch of at most 100 (sent or not) with that batch's outcomes, so the
   * caller can persist state per batch. An error thrown here stops the send and propagates.
   */
  onBatch?: (outcomes: OrderOutcome[]) => Promise<void>;
}

/** What one request (with its retries) came to. */
type Posted =
  | { kind: "answered"; status: number; body: string }
  | { kind: "notSent" }
  | { kind: "failed"; error: UpstreamError };

/** Marks "the limiter found no slot before the deadline" inside `retry()`. */
class DeadlineReached extends Error {}

interface Budget {
  bisectLeft: number;
}

/**
 * Sends deals to Calltouch.
 *
 * @example
 * const client = new CalltouchClient({
 *   baseUrl: config.calltouch.apiUrl,
 *   siteId: config.calltouch.siteId,
 *   token: config.calltouch.token,
 *   crm: config.calltouch.crm,
 * });
 * const outcomes = await client.create(orders, { deadline: Date.now() + 60_000 });
 */
export class CalltouchClient {
  readonly #baseUrl: string;
  readonly #siteId: string;
  readonly #token: string;
  readonly #crm: string;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;
  readonly #texts: OutcomeTexts;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  #requestCount = 0;

  constructor(options: CalltouchClientOptions) {
    if (!URL.canParse(options.baseUrl)) {
      throw new TypeError(`baseUrl is not a URL: "${options.baseUrl}"`);
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#siteId = options.siteId;
    this.#token = options.token;
    this.#crm = options.crm ?? DEFAULT_CRM;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    this.#limiter = options.limiter ?? sharedCalltouchLimiter(this.#clock);
    this.#texts = OUTCOME_TEXTS[options.language ?? "ru"];
    this.#timeoutMs = options.requestTimeoutMs ?? CALLTOUCH_REQUEST_TIMEOUT_MS;
    this.#maxAttempts = options.maxAttempts ?? CALLTOUCH_MAX_ATTEMPTS;
  }

  /** HTTP requests started by this client so far, retries and bisection included. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /**
   * Creates deals. Returns exactly one outcome per order, in input order.
   *
   * @throws {UpstreamError} (not retryable) when Calltouch refuses the credentials (401/403) or
   * the URL (404/405): a run-level problem. `onBatch` has been called for every earlier batch.
   */
  create(orders: readonly CreateOrder[], options: SendOptions): Promise<OrderOutcome[]> {
    return this.#sendAll("create", orders, options);
  }

  /**
   * Updates deals. Returns exactly one outcome per order, in input order.
   *
   * @throws {UpstreamError} as {@linkcode CalltouchClient.create} does.
   */
  update(orders: readonly UpdateOrder[], options: SendOptions): Promise<OrderOutcome[]> {
    return this.#sendAll("update", orders, options);
  }

  async #sendAll(
    operation: Operation,
    orders: readonly (CreateOrder | UpdateOrder)[],
    options: SendOptions,
  ): Promise<OrderOutcome[]> {
    const outcomes: OrderOutcome[] = [];
    for (let start = 0; start < orders.length; start += CALLTOUCH_BATCH_SIZE) {
      const batch = orders.slice(start, start + CALLTOUCH_BATCH_SIZE);
      const budget = { bisectLeft: CALLTOUCH_MAX_BISECT_REQUESTS };
      const batchOutcomes = await this.#sendBatch(operation, batch, options.deadline, budget);
      outcomes.push(...batchOutcomes);
      await options.onBatch?.(batchOutcomes);
    }
    return outcomes;
  }

  /** One request for `orders`; on a whole-request refusal, bisects within the budget. */
  async #sendBatch(
    operation: Operation,
    orders: readonly (CreateOrder | UpdateOrder)[],
    deadline: number,
    budget: Budget,
  ): Promise<OrderOutcome[]> {
    const numbers = orders.map((o) => o.orderNumber);
    const all = (why: TransientWhy, message: string): OrderOutcome[] =>
      numbers.map((orderNumber) => transient(orderNumber, why, message));

    const body = operation === "create"
      ? createRequest(orders as CreateOrder[], this.#crm)
      : updateRequest(orders as UpdateOrder[]);
    const posted = await this.#post(CALLTOUCH_PATHS[operation], body, deadline);

    if (posted.kind === "notSent") return all("out-of-time", this.#texts.didNotFit);
    if (posted.kind === "failed") {
      const what = posted.error.status ? `HTTP ${posted.error.status}` : this.#texts.network;
      return all("unavailable", this.#texts.unavailable(what));
    }
    const { status } = posted;
    if (status >= 200 && status < 300) {
      return readOrdersResponse(numbers, posted.body, operation, this.#texts);
    }
    if (status === 401 || status === 403) {
      throw new UpstreamError(
        `Calltouch refused the credentials (HTTP ${status}): check CALLTOUCH_TOKEN (the API key ` +
          `of the project) and CALLTOUCH_SITE_ID (the project id)`,
        { upstream: "calltouch", status, retryable: false },
      );
    }
    if (status === 404 || status === 405) {
      throw new UpstreamError(
        `Calltouch has no deals method at ${this.#baseUrl}${CALLTOUCH_PATHS[operation]} ` +
          `(HTTP ${status}): check CALLTOUCH_API_URL`,
        { upstream: "calltouch", status, retryable: false },
      );
    }
    // Any other answer refuses the request as a whole (400 with validationErrorData, most
    // likely). One bad order must not sink the rest: split and resend, so it ends up alone.
    if (orders.length > 1) {
      if (budget.bisectLeft < 2) return all("unavailable", this.#texts.batchRefused);
      budget.bisectLeft -= 2;
      const middle = Math.ceil(orders.length / 2);
      const first = await this.#sendBatch(operation, orders.slice(0, middle), deadline, budget);
      const second = await this.#sendBatch(operation, orders.slice(middle), deadline, budget);
      return [...first, ...second];
    }
    const reason = refusalReason(status, posted.body);
    return numbers.map((orderNumber) => ({ orderNumber, kind: "rejected", message: reason }));
  }

  /** POSTs `body` with retries; never starts a request at or after `deadline`. */
  async #post(path: string, body: unknown, deadline: number): Promise<Posted> {
    let lastError: UpstreamError | undefined;
    try {
      const answer = await retry(async () => {
        if (!(await this.#limiter.acquire(deadline))) throw new DeadlineReached();
        try {
          return await this.#fetchOnce(path, body);
        } catch (error) {
          if (error instanceof UpstreamError) lastError = error;
          throw error;
        }
      }, { clock: this.#clock, deadline, maxAttempts: this.#maxAttempts });
      return { kind: "answered", ...answer };
    } catch (error) {
      if (error instanceof DeadlineReached) {
        return lastError ? { kind: "failed", error: lastError } : { kind: "notSent" };
      }
      if (error instanceof UpstreamError) return { kind: "failed", error };
      throw error;
    }
  }

  /** One HTTP request. Throws a retryable {@linkcode UpstreamError} for network errors, 408, 429, 5xx. */
  async #fetchOnce(path: string, body: unknown): Promise<{ status: number; body: string }> {
    this.#requestCount++;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method: "POST",
        headers: {
          "Access-Token": this.#token,
          "SiteId": this.#siteId,
          "Content-Type": "application/json",
        },
        body: JSON.stringify(body),
        signal: abort.signal,
      });
      text = await response.text();
    } catch (cause) {
      const what = abort.signal.aborted ? `no answer in ${this.#timeoutMs} ms` : errorName(cause);
      throw new UpstreamError(`Calltouch could not be reached: ${what}`, {
        upstream: "calltouch",
        retryable: true,
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
    if (isRetryableStatus(response.status)) {
      throw new UpstreamError(`Calltouch answered HTTP ${response.status}`, {
        upstream: "calltouch",
        status: response.status,
        retryable: true,
        retryAfterMs: parseRetryAfter(response.headers.get("Retry-After"), this.#clock.now()),
      });
    }
    return { status: response.status, body: text };
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
