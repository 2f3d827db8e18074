/**
 * The Calltouch deals client: one create or update request of at most 100 orders, at most
 * 5 requests per second, retrying what may succeed later inside a deadline, and the answer read
 * into one of four kinds (see {@linkcode Answer}).
 *
 * @see https://www.calltouch.ru/support/api-metod-sozdaniya-sdelok
 * @see https://www.calltouch.ru/support/api-metod-obnovleniya-sdelok
 */
import { type Clock, systemClock } from "../util/clock.ts";
import type { TakeRequest } from "../util/budget.ts";
import { UpstreamError } from "../util/errors.ts";
import { NotStarted, request, textOf } from "../util/request.ts";
import type { Language } from "../deal.ts";
import { OWN_NAMES, type SettingNames, words } from "../words/mod.ts";
import { CALLTOUCH_REQUEST_TIMEOUT_MS, sharedCalltouchLimiter } from "./limiter.ts";
import type { RateLimiter } from "../util/rate_gate.ts";
import { nextCalltouchDay, PointsSpent, pointsSpentIn } from "./points.ts";
import {
  type Operation,
  type OrderReadings,
  readAcceptedAnswer,
  refusalReason,
} from "./results.ts";
import {
  CALLTOUCH_BATCH_SIZE,
  type CreateOrder,
  type CreateRequest,
  type UpdateOrder,
  type UpdateRequest,
} from "./types.ts";

export type { Operation, OrderReading, OrderReadings } from "./results.ts";

export { CALLTOUCH_BATCH_SIZE };
/** Attempts per request, the first included, for network errors, 408, 429 and 5xx. */
export const CALLTOUCH_MAX_ATTEMPTS = 5;
/** One request is abandoned (and counted as a network error) after this long. */
export { CALLTOUCH_REQUEST_TIMEOUT_MS };

/** Paths of the two methods, relative to the base URL. */
export const CALLTOUCH_PATHS = {
  create: "/lead-service/v1/api/client-order/create",
  update: "/lead-service/v1/api/client-order/update",
} as const satisfies Record<Operation, string>;

/**
 * What one request (with its retries) came to:
 * - `orders`: a `2xx`, read per order (see `readAcceptedAnswer`);
 * - `refused`: the request as a whole was refused (a `4xx` other than 401/403/408/429, or a
 *   `2xx` that says it failed): nothing in it was applied;
 * - `unknown`: no usable answer (network error, timeout, 5xx or 429 after every retry): the
 *   request may have been applied;
 * - `notSent`: the deadline came before the request could start.
 */
export type Answer =
  | { kind: "orders"; readings: OrderReadings; status: number; body: string }
  | { kind: "refused"; reason: string; calltouchBody: boolean; status: number; body: string }
  | { kind: "unknown"; what: string; status?: number; body?: string }
  | { kind: "notSent"; why: "deadline" | "budget" };

/** Options of {@linkcode CalltouchClient}. */
export interface CalltouchClientOptions {
  /** API origin, e.g. `https://api.calltouch.ru` (`config.calltouch.apiUrl`). */
  baseUrl: string;
  /** Project id, sent as `SiteId`. */
  siteId: string;
  /** API key, sent as `Access-Token`. */
  token: string;
  /** `crm` of create requests (the `CRM_NAME` setting). */
  crm: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * Default: {@linkcode sharedCalltouchLimiter} of `clock`, shared by every client of the
   * isolate (5 requests per second).
   */
  limiter?: RateLimiter;
  /** Language of run-level and transit messages (`STATUS_LANGUAGE`). Default `"ru"`. */
  language?: Language;
  /** How messages name the settings to check (a target's own names). Default: their own. */
  names?: SettingNames;
  /** Asked before every attempt (retries included): false stops sending. Default: no cap. */
  take?: TakeRequest;
  /** Default {@linkcode CALLTOUCH_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  /** Default {@linkcode CALLTOUCH_MAX_ATTEMPTS}. */
  maxAttempts?: number;
}

/** Options of {@linkcode CalltouchClient.post}. */
export interface PostOptions {
  /** Epoch ms: no attempt starts at or after it (the answer is then `notSent` or `unknown`). */
  deadline: number;
}

/** What one request with its retries came to, before reading. */
type Posted =
  | { kind: "answered"; status: number; body: string }
  | { kind: "notSent"; why: "deadline" | "budget" }
  | { kind: "unknown"; what: string; status?: number };

/**
 * Sends deals to Calltouch, one request at a time: batching, fallbacks and bisection are the
 * sync's (see `src/sync/send.ts`).
 *
 * @example
 * const client = new CalltouchClient({
 *   baseUrl: config.calltouch.apiUrl,
 *   siteId: config.calltouch.siteId,
 *   token: config.calltouch.token,
 *   crm: config.calltouch.crm,
 * });
 * const answer = await client.post("create", orders, { deadline: Date.now() + 60_000 });
 */
export class CalltouchClient {
  readonly #baseUrl: string;
  readonly #siteId: string;
  readonly #token: string;
  readonly #crm: string;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #language: Language;
  readonly #names: SettingNames;
  readonly #take: TakeRequest;
  #requestCount = 0;

  constructor(options: CalltouchClientOptions) {
    if (!URL.canParse(options.baseUrl)) {
      throw new TypeError(`baseUrl is not a URL: "${options.baseUrl}"`);
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#siteId = options.siteId;
    this.#token = options.token;
    this.#crm = options.crm;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    this.#limiter = options.limiter ?? sharedCalltouchLimiter(this.#clock);
    this.#timeoutMs = options.requestTimeoutMs ?? CALLTOUCH_REQUEST_TIMEOUT_MS;
    this.#maxAttempts = options.maxAttempts ?? CALLTOUCH_MAX_ATTEMPTS;
    this.#language = options.language ?? "ru";
    this.#names = options.names ?? OWN_NAMES;
    this.#take = options.take ?? (() => true);
  }

  /** How the run-level messages name the settings to check (a target's own names). */
  get names(): SettingNames {
    return this.#names;
  }

  /** The language of the run-level messages this client gives. */
  get language(): Language {
    return this.#language;
  }

  /** HTTP requests started by this client so far, retries included. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** The URL of a method, for messages. */
  urlOf(operation: Operation): string {
    return `${this.#baseUrl}${CALLTOUCH_PATHS[operation]}`;
  }

  /**
   * Sends at most {@linkcode CALLTOUCH_BATCH_SIZE} orders with one method (retrying network
   * errors, 408, 429 and 5xx inside the deadline) and reads the answer.
   *
   * @throws {UpstreamError} (not retryable) when Calltouch refuses the credentials (401/403):
   * a run-level problem; {@linkcode PointsSpent} when the project's daily points are spent.
   */
  post(operation: "create", orders: readonly CreateOrder[], options: PostOptions): Promise<Answer>;
  post(operation: "update", orders: readonly UpdateOrder[], options: PostOptions): Promise<Answer>;
  post(
    operation: Operation,
    orders: readonly (CreateOrder | UpdateOrder)[],
    options: PostOptions,
  ): Promise<Answer>;
  async post(
    operation: Operation,
    orders: readonly (CreateOrder | UpdateOrder)[],
    options: PostOptions,
  ): Promise<Answer> {
    if (orders.length === 0 || orders.length > CALLTOUCH_BATCH_SIZE) {
      throw new RangeError(
        `A request carries 1 to ${CALLTOUCH_BATCH_SIZE} orders, got ${orders.length}`,
      );
    }
    const body = operation === "create"
      ? createRequest(orders as CreateOrder[], this.#crm)
      : updateRequest(orders as UpdateOrder[]);
    const posted = await this.#post(CALLTOUCH_PATHS[operation], body, options.deadline);
    if (posted.kind !== "answered") return posted;
    const { status, body: text } = posted;
    if (status >= 200 && status < 300) {
      const read = readAcceptedAnswer(orders.map((o) => o.orderNumber), text);
      if (!Array.isArray(read)) this.#spentIn(status, text); // a 2xx that says it failed
      return Array.isArray(read)
        ? { kind: "orders", readings: read, status, body: text }
        : { kind: "refused", ...read, status, body: text };
    }
    if (status === 401 || status === 403) {
      throw new UpstreamError(
        words(this.#language).calltouch.credentials(
          status,
          this.#names("CALLTOUCH_TOKEN"),
          this.#names("CALLTOUCH_SITE_ID"),
        ),
        {
          upstream: "calltouch",
          status,
          retryable: false,
          code: "key",
        },
      );
    }
    if (status >= 400 && status < 500) {
      return { kind: "refused", ...refusalReason(status, text), status, body: text };
    }
    // A 1xx/3xx that fetch did not follow: nothing says whether it was applied.
    return { kind: "unknown", what: `HTTP ${status}`, status, body: text };
  }

  /** Throws {@linkcode PointsSpent} when the answer says the project's daily points are spent. */
  #spentIn(status: number, text: string): void {
    if (pointsSpentIn(status, text)) {
      throw new PointsSpent(this.#language, nextCalltouchDay(this.#clock.now()), status);
    }
  }

  /** POSTs `body` with retries; never starts a request at or after `deadline`. */
  async #post(path: string, body: unknown, deadline: number): Promise<Posted> {
    // Serialised once, before the limiter's slot: the request leaves as soon as its slot comes.
    const json = JSON.stringify(body);
    try {
      const answer = await request(`${this.#baseUrl}${path}`, {
        method: "POST",
        headers: {
          "Access-Token": this.#token,
          "SiteId": this.#siteId,
          "Content-Type": "application/json",
        },
        body: json,
      }, {
        upstream: "calltouch",
        words: words(this.#language).calltouch,
        fetch: this.#fetch,
        clock: this.#clock,
        deadline,
        timeoutMs: this.#timeoutMs,
        // A request that may have landed is better answered than cut by the run's schedule.
        outliveDeadline: true,
        maxAttempts: this.#maxAttempts,
        pace: (until) => this.#limiter.acquire(until),
        take: this.#take,
        onAttempt: () => this.#requestCount++,
        // A refusal (a 2xx is read once, in post()): before its status is judged retryable.
        screen: (answer) => {
          if (answer.status >= 300) this.#spentIn(answer.status, textOf(answer));
        },
      });
      return { kind: "answered", status: answer.status, body: textOf(answer) };
    } catch (error) {
      if (error instanceof NotStarted) return { kind: "notSent", why: error.why };
      if (error instanceof PointsSpent) throw error; // the run stops sending (see points.ts)
      if (!(error instanceof UpstreamError)) throw error;
      return {
        kind: "unknown",
        what: error.status ? `HTTP ${error.status}` : error.message,
        status: error.status,
      };
    }
  }
}

/** The create envelope: `{ crm, orders }` (the caller keeps `orders` to at most 100). */
export function createRequest(orders: CreateOrder[], crm: string): CreateRequest {
  return { crm, orders };
}

/**
 * The update envelope: `{ orders }`. `crm` is not sent: the update method does not document it,
 * and an unknown field is a needless risk under a strict validator.
 */
export function updateRequest(orders: UpdateOrder[]): UpdateRequest {
  return { orders };
}
