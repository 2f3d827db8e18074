/**
 * An offline Calltouch deals API (`client-order/create` and `/update`) over real HTTP on
 * 127.0.0.1, for tests, the demo and the benchmark. It validates like the reference's emulator
 * spec (§10), records every request, and has switches for every behaviour the documentation
 * leaves open, plus an admin API under `/_emulator/` for use from another process.
 */
import type { ProbeReport, ProbeSituation } from "../../src/cli/probe_calls.ts";
import { type Clock, systemClock } from "../../src/util/clock.ts";
import {
  type EmulatedLead,
  journalAnswer,
  type JournalNoLead,
  type JournalShape,
  type JournalSum,
} from "./calltouch_journal.ts";

/** The project id the emulator accepts by default. */
export const EMULATOR_SITE_ID = "12345";
/** The API key the emulator accepts by default. */
export const EMULATOR_TOKEN = "emulator-calltouch-token";
/** The statistics token (`clientApiId`) of the deals journal: another credential. */
export const EMULATOR_STATS_TOKEN = "emulator-calltouch-stats-token";
/** Calltouch's limit: requests per sliding window from one IP. */
export const EMULATOR_RATE_LIMIT = 5;
/** The window of that limit, in ms. */
export const EMULATOR_RATE_WINDOW_MS = 1000;
/** Most orders in one request. */
export const EMULATOR_MAX_ORDERS = 100;

const CREATE_PATH = "/lead-service/v1/api/client-order/create";
const UPDATE_PATH = "/lead-service/v1/api/client-order/update";
const ADMIN_PREFIX = "/_emulator/";

/**
 * Behaviours that can be switched at run time: one for every answer form the documentation
 * leaves open, so the sync can be tested against each.
 */
export interface CalltouchSwitches {
  /** A create of an existing orderNumber: refused, or update it. Default `"error"`. */
  duplicateCreate: "error" | "upsert";
  /**
   * An update of an unknown orderNumber: refused, create it, or answer success and do nothing
   * (an update silently lost). Default `"error"`.
   */
  updateMissing: "error" | "create" | "ignore";
  /** Answer 429 (not applied) to requests beyond 5 in a sliding second. Default false. */
  rateLimit: boolean;
  /** Real delay before answering, in ms. Default 0. */
  delayMs: number;
  /**
   * Up to this many real ms (each request its own, from a seeded sequence) between a request
   * leaving and its reaching Calltouch: the network, or an isolate busy with another run before
   * its fetch leaves. The request is counted in the rate window, and handled, when it arrives.
   * The delays are a fixed sequence; which request draws which follows the order requests reach
   * the emulator. Default 0.
   */
  transitMs: number;
  /**
   * How a per-order error is shaped: a Russian string, `{code, message}`, a one-entry array of
   * those, `{errors: [{message}]}`, a failing `updateStatus`/`createStatus` without `error`, or
   * `success: false` without `error`. Default `"object"`.
   */
  errorShape: "string" | "object" | "array" | "errors" | "status" | "successFalse";
  /**
   * Results in request order without `orderNumber`, or carrying `orderNumber` (as given, or as
   * a JSON number when it is one) in reverse order (so a client must match them by number), or
   * only the failed orders' results, without `orderNumber` (`errorsOnly`: which order failed
   * cannot be told in a request of several). Default `"positional"`.
   */
  resultShape: "positional" | "byOrderNumber" | "byNumericOrderNumber" | "errorsOnly";
  /**
   * How an order that is refused (a duplicate create, an update of an unknown deal, a rejected
   * order) is answered: a per-order error inside a 200, or the whole request refused with this
   * HTTP status and nothing in it applied. Default `"perOrder"`.
   */
  refusal: "perOrder" | 400 | 404 | 409 | 422;
  /**
   * Words of refusals: the documented-looking ones ("already exists", "не найдена"), or
   * arbitrary words no pattern knows ("Операция отклонена (код 1043)"). Default `"known"`.
   */
  wording: "known" | "arbitrary";
  /**
   * The shape of a 200 answer: per-order results, or a form without them — `{"data":{"success":
   * true}}`, an empty body, `"data": null`, no `data.orders`, `data.orders: []`, a body that is
   * not JSON. Without per-order results there is no way to say one order failed, so a refused
   * order is then answered as a whole-request refusal (`refusal`, or 400). Default `"perOrder"`.
   */
  answer:
    | "perOrder"
    | "successOnly"
    | "emptyBody"
    | "dataNull"
    | "noOrders"
    | "ordersEmpty"
    | "notJson";
  /** Refuse every order (a systematic refusal, as `refusal` says). Default false. */
  refuseAll: boolean;
  /** The deals journal's record and paging shape (see `calltouch_journal.ts`). */
  journalShape: JournalShape;
  /**
   * Whether a journal page says how many pages there are (`pageTotal` / `totalPage`); without
   * it, a page shorter than the limit is the last. Default true.
   */
  journalPageCount: boolean;
  /** Whether the journal's `dateTo` takes deals of that day. Default `"inclusive"`. */
  journalDateTo: "inclusive" | "exclusive";
  /** How the journal shows a deal without a lead (see `JournalNoLead`). Default `"custom"`. */
  journalNoLead: JournalNoLead;
  /** The sums the journal shows (see `JournalSum`). Default `"completed"`. */
  journalSum: JournalSum;
  /**
   * The project's daily API points ("Система баллов API"): null, unlimited; a number, what is
   * left today: each successful request (deals or journal) spends one, and at 0 every request
   * is refused as {@linkcode CalltouchSwitches.pointsRefusal} says. Default null.
   */
  dailyPoints: number | null;
  /**
   * How a request is refused once the points are spent (undocumented, so each plausible form):
   * a 429, a 403, or a 200 whose body says it failed. Default 429.
   */
  pointsRefusal: 429 | 403 | 200;
}

/** The answer to a request once the daily points are spent, by form (see `pointsRefusal`). */
export const POINTS_REFUSALS: Readonly<Record<429 | 403 | 200, unknown>> = {
  429: { meta: { status: 429, message: "Превышен суточный лимит баллов API" }, data: null },
  403: { meta: { status: 403, message: "Лимит запросов на сегодня исчерпан" }, data: null },
  200: {
    meta: { status: 200 },
    data: { success: false, error: "Daily API points limit exceeded" },
  },
};

/** The forms of a 200 answer without per-order results (see {@linkcode CalltouchSwitches.answer}). */
export const ANSWERS_WITHOUT_RESULTS = [
  "successOnly",
  "emptyBody",
  "dataNull",
  "noOrders",
  "ordersEmpty",
  "notJson",
] as const;

const DEFAULT_SWITCHES: CalltouchSwitches = {
  duplicateCreate: "error",
  updateMissing: "error",
  rateLimit: false,
  delayMs: 0,
  transitMs: 0,
  errorShape: "object",
  resultShape: "positional",
  refusal: "perOrder",
  wording: "known",
  answer: "perOrder",
  refuseAll: false,
  journalShape: "records",
  journalPageCount: true,
  journalDateTo: "inclusive",
  journalNoLead: "custom",
  journalSum: "completed",
  dailyPoints: null,
  pointsRefusal: 429,
};

/** Reason given to every order while `refuseAll` is on. */
export const SYSTEMATIC_REASON = "Приём сделок для проекта временно отключён";

/** Options of {@linkcode startCalltouchEmulator}; every switch can also be set here. */
export interface CalltouchEmulatorOptions extends Partial<CalltouchSwitches> {
  /** Accepted `SiteId`. Default {@linkcode EMULATOR_SITE_ID}. */
  siteId?: string;
  /** Accepted `Access-Token`. Default {@linkcode EMULATOR_TOKEN}. */
  token?: string;
  /** Accepted `clientApiId` of the deals journal. Default {@linkcode EMULATOR_STATS_TOKEN}. */
  statsToken?: string;
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Times requests and the rate window; tests share a `ManualClock` with the client. */
  clock?: Clock;
  /** Keep each request's body in {@linkcode CalltouchEmulator.requests}. Default true (the bench
   * of 500 clinics turns it off: 5,000 requests of 100 orders). */
  recordBodies?: boolean;
  /**
   * A probe file (`deno task probe`, see `src/cli/probe_calls.ts`): answer every request the way
   * the real Calltouch answered the probe's calls, by situation (a create of a new or an existing
   * deal, an update of an existing or a missing one, an update with no tags).
   */
  replay?: ProbeReport;
}

/** One request the emulator received (admin requests are not recorded). */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown;
  /** Status the emulator answered. */
  status: number;
  /** Clock time of arrival (epoch ms). */
  time: number;
}

/** A request beyond the limit in some sliding window. */
export interface RateViolation {
  time: number;
  path: string;
  /** Requests that arrived in the second before it. */
  earlierInWindow: number;
}

/** A deal just created: once, nothing else yet (`overrides` replace fields). */
export function storedDeal(
  orderNumber: string,
  calltouchOrderId: number,
  overrides: Partial<StoredDeal> = {},
): StoredDeal {
  return {
    orderNumber,
    calltouchOrderId,
    createCount: 1,
    updateCount: 0,
    fields: {},
    tags: [],
    custom: {},
    comments: [],
    matching: [],
    rematchCount: 0,
    ...overrides,
  };
}

/** One deal as the emulator stores it. */
export interface StoredDeal {
  orderNumber: string;
  calltouchOrderId: number;
  /** How many times the deal was created (an upsert or update does not count). */
  createCount: number;
  /** Updates applied, upserts included. */
  updateCount: number;
  /** Every other order field as last sent (`status`, `revenue`, `orderDate`…). */
  fields: Record<string, unknown>;
  tags: string[];
  /** Custom fields by API name (`customFields` sets the ones it names). */
  custom: Record<string, string>;
  /** The `crm` of the create request that made it. */
  crm?: string;
  comments: string[];
  /** The last `matching` / `reMatching`. */
  matching: unknown[];
  /** How many times `reMatching` was applied. */
  rematchCount: number;
}

interface Fault {
  count: number;
  status: number;
}

interface ValidationError {
  field: string;
  message: string;
}

const MATCHING_TYPES = new Set([
  "request",
  "call",
  "chat",
  "leadContact",
  "requestContact",
  "callContact",
  "chatContact",
  "session",
  "customSources",
  "withoutSource",
]);
const MATCH_MODES = new Set(["nearest", "nearestUniq", "nearestUniqLead"]);
const DATE_TIME = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;
const MONEY = /^\d+(\.\d{1,2})?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRealDateTime(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [day, month, year, hour, minute, second] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

function paramsKey(type: string): string | undefined {
  if (type === "withoutSource") return undefined;
  return type === "customSources" ? "customSourceParams" : `${type}Params`;
}

function validateMatching(value: unknown, field: string, errors: ValidationError[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push({ field, message: "must be a non-empty array of matching entries" });
    return;
  }
  value.forEach((entry, j) => {
    const at = `${field}[${j}]`;
    if (!isObject(entry) || typeof entry.type !== "string" || !MATCHING_TYPES.has(entry.type)) {
      errors.push({ field: `${at}.type`, message: "unknown matching type" });
      return;
    }
    const key = paramsKey(entry.type);
    if (key === undefined) return;
    const params = entry[key];
    if (!isObject(params)) {
      errors.push({ field: `${at}.${key}`, message: `required for type ${entry.type}` });
      return;
    }
    if ("date" in params && !isRealDateTime(params.date)) {
      errors.push({ field: `${at}.${key}.date`, message: "expected dd-MM-yyyy HH:mm:ss" });
    }
    if (
      "searchDepth" in params &&
      !(Number.isInteger(params.searchDepth) && (params.searchDepth as number) > 0)
    ) {
      errors.push({ field: `${at}.${key}.searchDepth`, message: "expected minutes, > 0" });
    }
    for (const list of ["phones", "emails"]) {
      const items = params[list];
      if (
        list in params &&
        !(Array.isArray(items) && items.every((p) => typeof p === "string" && p !== ""))
      ) {
        errors.push({ field: `${at}.${key}.${list}`, message: "expected an array of strings" });
      }
    }
    for (const [name, mode] of Object.entries(params)) {
      if (name.endsWith("TypeToMatch") && !MATCH_MODES.has(mode as string)) {
        errors.push({ field: `${at}.${key}.${name}`, message: "unknown match type" });
      }
    }
  });
}

/** Custom fields are set one by one: those an order does not name keep their values. */
function setCustomFields(deal: StoredDeal, fields: unknown): void {
  if (!Array.isArray(fields)) return;
  for (const { field, value } of fields as { field: string; value: string }[]) {
    deal.custom[field] = value;
  }
}

function isTagList(value: unknown): boolean {
  return Array.isArray(value) && value.every((t) => isObject(t) && typeof t.tag === "string");
}

function validateOrder(
  order: unknown,
  i: number,
  operation: "create" | "update",
  errors: ValidationError[],
): void {
  const at = `orders[${i}]`;
  if (!isObject(order)) {
    errors.push({ field: at, message: "must be an object" });
    return;
  }
  const number = order.orderNumber;
  if (!((typeof number === "string" && number.trim() !== "") || typeof number === "number")) {
    errors.push({ field: `${at}.orderNumber`, message: "required" });
  }
  if (operation === "create") validateMatching(order.matching, `${at}.matching`, errors);
  if (operation === "update" && "reMatching" in order) {
    validateMatching(order.reMatching, `${at}.reMatching`, errors);
  }
  for (const field of ["orderDate", "statusDate", "updateDate"]) {
    if (field in order && !isRealDateTime(order[field])) {
      errors.push({ field: `${at}.${field}`, message: "expected dd-MM-yyyy HH:mm:ss" });
    }
  }
  for (const field of ["revenue", "margin"]) {
    if (field in order && !(typeof order[field] === "string" && MONEY.test(order[field]))) {
      errors.push({ field: `${at}.${field}`, message: "expected a decimal string like 1000.50" });
    }
  }
  for (const field of ["status", "manager", "orderName", "funnel", "currency", "orderLink"]) {
    if (field in order && typeof order[field] !== "string") {
      errors.push({ field: `${at}.${field}`, message: "expected a string" });
    }
  }
  if ("addTags" in order) {
    const tags = order.addTags;
    const ok = operation === "create"
      ? isTagList(tags)
      : isObject(tags) && typeof tags.overwrite === "boolean" && isTagList(tags.tags);
    if (!ok) {
      errors.push({
        field: `${at}.addTags`,
        message: operation === "create"
          ? 'expected an array of {"tag": …}'
          : 'expected {"overwrite": boolean, "tags": [{"tag": …}]}',
      });
    }
  }
  if ("customFields" in order) {
    const custom = order.customFields;
    const ok = Array.isArray(custom) && custom.length > 0 &&
      custom.every((f) =>
        isObject(f) && typeof f.field === "string" && f.field !== "" && typeof f.value === "string"
      );
    if (!ok) {
      errors.push({
        field: `${at}.customFields`,
        message: 'expected a non-empty array of {"field": …, "value": …}',
      });
    }
  }
  const commentField = operation === "create" ? "comment" : "addNewComment";
  if (commentField in order) {
    const comment = order[commentField];
    if (!(isObject(comment) && typeof comment.text === "string")) {
      errors.push({ field: `${at}.${commentField}`, message: 'expected {"text": …}' });
    }
  }
}

function validateRequest(body: unknown, operation: "create" | "update"): ValidationError[] {
  const errors: ValidationError[] = [];
  if (!isObject(body)) return [{ field: "", message: "the body must be a JSON object" }];
  if (operation === "create" && "crm" in body && typeof body.crm !== "string") {
    errors.push({ field: "crm", message: "expected a string" });
  }
  const orders = body.orders;
  if (!Array.isArray(orders) || orders.length === 0) {
    return [...errors, { field: "orders", message: "must be a non-empty array" }];
  }
  if (orders.length > EMULATOR_MAX_ORDERS) {
    return [
      ...errors,
      { field: "orders", message: `at most ${EMULATOR_MAX_ORDERS} orders per request` },
    ];
  }
  orders.forEach((order, i) => validateOrder(order, i, operation, errors));
  return errors;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A body sent as it is, not as JSON. */
class RawBody {
  constructor(readonly text: string) {}
}
const RAW_BODY = (text: string) => new RawBody(text);

function json(status: number, body: unknown): Response {
  if (body instanceof RawBody) {
    return new Response(body.text, {
      status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

/** Where the sequence of `transitMs` delays starts (a fresh or reset emulator). */
const TRANSIT_SEED = 12345;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A running emulator. Switches are plain fields (`emulator.duplicateCreate = "upsert"`) or set
 * at once with {@linkcode CalltouchEmulator.set}.
 */
export class CalltouchEmulator implements CalltouchSwitches {
  duplicateCreate: CalltouchSwitches["duplicateCreate"];
  updateMissing: CalltouchSwitches["updateMissing"];
  rateLimit: boolean;
  delayMs: number;
  transitMs: number;
  errorShape: CalltouchSwitches["errorShape"];
  resultShape: CalltouchSwitches["resultShape"];
  refusal: CalltouchSwitches["refusal"];
  wording: CalltouchSwitches["wording"];
  answer: CalltouchSwitches["answer"];
  refuseAll: boolean;
  journalShape: JournalShape;
  journalPageCount: boolean;
  journalDateTo: CalltouchSwitches["journalDateTo"];
  journalNoLead: JournalNoLead;
  journalSum: JournalSum;
  dailyPoints: number | null;
  pointsRefusal: 429 | 403 | 200;

  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Calls and requests Calltouch tracked (see {@linkcode addLead}): the journal's attribution. */
  readonly leads: EmulatedLead[] = [];
  /** Stored deals by orderNumber. */
  readonly deals = new Map<string, StoredDeal>();
  /** Requests that went beyond 5 in some sliding second (whether or not `rateLimit` is on). */
  readonly violations: RateViolation[] = [];
  readonly siteId: string;
  readonly token: string;
  /** The statistics token the deals journal accepts (`clientApiId`). */
  readonly statsToken: string;

  #url = "";
  #server: Deno.HttpServer<Deno.NetAddr> | undefined;
  readonly #options: CalltouchEmulatorOptions;
  readonly #clock: Clock;
  #arrivals: number[] = [];
  /** The seeded sequence of {@linkcode CalltouchSwitches.transitMs} (0 ≤ x < 1). */
  #transitSeed = TRANSIT_SEED;
  #transit(): number {
    this.#transitSeed = (this.#transitSeed * 48271) % 2147483647;
    return this.#transitSeed / 2147483647;
  }
  #inFlight = 0;
  #failNext: Fault = { count: 0, status: 503 };
  #applyThenFail: Fault = { count: 0, status: 502 };
  #failJournal: Fault = { count: 0, status: 503 };
  readonly #rejections = new Map<string, string>();
  #nextId = 1;
  #replay: ProbeReport | undefined;

  constructor(options: CalltouchEmulatorOptions = {}) {
    this.#options = options;
    this.#replay = options.replay;
    this.#clock = options.clock ?? systemClock;
    this.siteId = options.siteId ?? EMULATOR_SITE_ID;
    this.token = options.token ?? EMULATOR_TOKEN;
    this.statsToken = options.statsToken ?? EMULATOR_STATS_TOKEN;
    const switches = { ...DEFAULT_SWITCHES, ...options };
    this.duplicateCreate = switches.duplicateCreate;
    this.updateMissing = switches.updateMissing;
    this.rateLimit = switches.rateLimit;
    this.delayMs = switches.delayMs;
    this.transitMs = switches.transitMs;
    this.errorShape = switches.errorShape;
    this.resultShape = switches.resultShape;
    this.refusal = switches.refusal;
    this.wording = switches.wording;
    this.answer = switches.answer;
    this.refuseAll = switches.refuseAll;
    this.journalShape = switches.journalShape;
    this.journalPageCount = switches.journalPageCount;
    this.journalDateTo = switches.journalDateTo;
    this.journalNoLead = switches.journalNoLead;
    this.journalSum = switches.journalSum;
    this.dailyPoints = switches.dailyPoints;
    this.pointsRefusal = switches.pointsRefusal;
  }

  /** Base URL, e.g. `http://127.0.0.1:43211` (pass as the client's `baseUrl`). */
  get url(): string {
    return this.#url;
  }

  /** Deal requests received and not answered yet (e.g. waiting for `delayMs`). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests that went beyond 5 in some sliding second. */
  get rateViolations(): number {
    return this.violations.length;
  }

  /** Starts listening; {@linkcode startCalltouchEmulator} calls it. */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.#server = Deno.serve({
        hostname: "127.0.0.1",
        port: this.#options.port ?? 0,
        onListen: ({ port }) => {
          this.#url = `http://127.0.0.1:${port}`;
          resolve();
        },
      }, (request) => this.#handle(request));
    });
  }

  /** Stops the server, waiting for requests in flight. */
  async close(): Promise<void> {
    await this.#server?.shutdown();
    this.#server = undefined;
  }

  /** Sets several switches at once. */
  set(switches: Partial<CalltouchSwitches>): void {
    Object.assign(this, pickSwitches(switches));
  }

  /** The current switches. */
  get switches(): CalltouchSwitches {
    return pickSwitches(this) as CalltouchSwitches;
  }

  /** The next `count` deal requests are answered `status` (default 503) and not applied. */
  failNext(count: number, status = 503): void {
    this.#failNext = { count, status };
  }

  /**
   * The next `count` valid deal requests are applied, then answered `status` (default 502):
   * the client cannot know they were applied.
   */
  applyThenFail(count: number, status = 502): void {
    this.#applyThenFail = { count, status };
  }

  /** Every later create/update of `orderNumber` gets a per-order error with `reason`. */
  /** The next `count` reads of the deals journal (only) answer `status`. */
  failJournal(count: number, status = 503): void {
    this.#failJournal = { count, status };
  }

  rejectOrder(orderNumber: string, reason: string): void {
    this.#rejections.set(orderNumber, reason);
  }

  /**
   * Calltouch learns a call or request with its ad: deals whose matching finds it (by phone or
   * e-mail, at the journal's read time) are attributed to it.
   */
  addLead(lead: EmulatedLead): void {
    this.leads.push(lead);
  }

  /** Ends {@linkcode rejectOrder} for `orderNumber`: its next requests are accepted again. */
  acceptOrder(orderNumber: string): void {
    this.#rejections.delete(orderNumber);
  }

  /** Forgets requests, deals, violations, faults and rejections; switches back to the options. */
  reset(): void {
    this.requests.length = 0;
    this.deals.clear();
    this.violations.length = 0;
    this.#arrivals = [];
    this.#transitSeed = TRANSIT_SEED;
    this.#failNext = { count: 0, status: 503 };
    this.#applyThenFail = { count: 0, status: 502 };
    this.#failJournal = { count: 0, status: 503 };
    this.#rejections.clear();
    this.leads.length = 0;
    this.#nextId = 1;
    this.#replay = this.#options.replay;
    this.set({ ...DEFAULT_SWITCHES, ...pickSwitches(this.#options) });
  }

  /** Answers from now on as a probe file recorded (see {@linkcode CalltouchEmulatorOptions.replay}). */
  replayProbe(report: ProbeReport | undefined): void {
    this.#replay = report;
  }

  /** What the admin API's `GET /_emulator/state` shows. */
  state(): Record<string, unknown> {
    return {
      url: this.url,
      switches: this.switches,
      requests: this.requests.length,
      deals: this.deals.size,
      rateViolations: this.rateViolations,
      pending: { failNext: this.#failNext, applyThenFail: this.#applyThenFail },
      rejectedOrders: [...this.#rejections.keys()],
    };
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith(ADMIN_PREFIX)) return await this.#admin(request, url.pathname);

    if (this.transitMs > 0) await sleep(Math.round(this.transitMs * this.#transit()));
    const time = this.#clock.now();
    this.#arrivals = this.#arrivals.filter((t) => t > time - EMULATOR_RATE_WINDOW_MS);
    const earlierInWindow = this.#arrivals.length;
    this.#arrivals.push(time);
    if (earlierInWindow >= EMULATOR_RATE_LIMIT) {
      this.violations.push({ time, path: url.pathname, earlierInWindow });
    }

    const text = await request.text();
    let body: unknown = text;
    let isJson = false;
    try {
      body = JSON.parse(text);
      isJson = true;
    } catch {
      // recorded as text
    }
    this.#inFlight++;
    try {
      if (this.delayMs > 0) await sleep(this.delayMs);
    } finally {
      this.#inFlight--;
    }

    const [status, answer] = this.#answer(request, url.pathname, body, isJson, earlierInWindow);
    // Each successful request spends a point of the day (a refusal spends none).
    if (status >= 200 && status < 300 && answer !== POINTS_REFUSALS[200] && this.dailyPoints) {
      this.dailyPoints--;
    }
    this.requests.push({
      method: request.method,
      path: url.pathname,
      headers: Object.fromEntries(request.headers),
      body: this.#options.recordBodies === false ? undefined : body,
      status,
      time,
    });
    return json(status, answer);
  }

  #answer(
    request: Request,
    path: string,
    body: unknown,
    isJson: boolean,
    earlierInWindow: number,
  ): [number, unknown] {
    if (path === `/calls-service/RestAPI/${this.siteId}/orders-diary/orders`) {
      if (request.method !== "GET") {
        return [405, { meta: {}, data: { error: "Method Not Allowed" } }];
      }
      if (this.rateLimit && earlierInWindow >= EMULATOR_RATE_LIMIT) {
        return [429, { meta: {}, data: { error: "Too many requests" } }];
      }
      for (const fault of [this.#failJournal, this.#failNext]) {
        if (fault.count > 0) {
          fault.count--;
          return [fault.status, { meta: {}, data: { error: "Injected failure" } }];
        }
      }
      if (this.dailyPoints === 0) return [this.pointsRefusal, POINTS_REFUSALS[this.pointsRefusal]];
      const journal = [...this.deals.values()].map((deal) => ({
        ...deal,
        fields: { ...deal.fields, crm: deal.crm },
      }));
      return journalAnswer(journal, new URL(request.url).searchParams, {
        statsToken: this.statsToken,
        shape: this.journalShape,
        pageCount: this.journalPageCount,
        dateTo: this.journalDateTo,
        noLead: this.journalNoLead,
        sum: this.journalSum,
        leads: this.leads,
      });
    }
    const operation = path === CREATE_PATH ? "create" : path === UPDATE_PATH ? "update" : null;
    // What a Java service answers for a path it does not have: not Calltouch's envelope.
    if (!operation) {
      return [404, {
        timestamp: new Date(this.#clock.now()).toISOString(),
        status: 404,
        error: "Not Found",
        path,
      }];
    }
    if (request.method !== "POST") {
      return [405, {
        timestamp: new Date(this.#clock.now()).toISOString(),
        status: 405,
        error: "Method Not Allowed",
        path,
      }];
    }
    if (this.rateLimit && earlierInWindow >= EMULATOR_RATE_LIMIT) {
      return [429, { meta: {}, data: { error: "Too many requests" } }];
    }
    if (this.#failNext.count > 0) {
      this.#failNext.count--;
      return [this.#failNext.status, { meta: {}, data: { error: "Injected failure" } }];
    }
    if (
      request.headers.get("Access-Token") !== this.token ||
      request.headers.get("SiteId") !== this.siteId
    ) {
      return [401, { meta: {}, data: { error: "Unauthorized" } }];
    }
    if (this.dailyPoints === 0) return [this.pointsRefusal, POINTS_REFUSALS[this.pointsRefusal]];
    const errors = isJson
      ? validateRequest(body, operation)
      : [{ field: "", message: "the body is not JSON" }];
    if (errors.length > 0) return [400, { meta: {}, data: { validationErrorData: errors } }];

    const orders = (body as { orders: Record<string, unknown>[] }).orders;
    if (this.#replay) {
      const replayed = this.#replayAnswer(this.#replay, operation, orders);
      if (replayed) return replayed;
    }
    // Refusals first, without applying anything: a whole-request refusal applies nothing.
    const refusals = orders.map((order) => this.#refusalOf(operation, order));
    const wholeRefusal = this.refusal !== "perOrder" || this.answer !== "perOrder";
    const firstRefused = refusals.findIndex((r) => r !== undefined);
    if (wholeRefusal && firstRefused >= 0) {
      const status = this.refusal === "perOrder" ? 400 : this.refusal;
      const refusal = refusals[firstRefused]!;
      return [status, {
        meta: { status, message: refusal.message },
        data: {
          validationErrorData: [{
            field: `orders[${firstRefused}].orderNumber`,
            message: refusal.message,
          }],
        },
      }];
    }
    let results = orders.map((order, i) => {
      const orderNumber = order.orderNumber as string | number;
      const refusal = refusals[i];
      const result = refusal
        ? this.#errorResult(operation, refusal)
        : operation === "create"
        ? this.#create(order, (body as { crm?: unknown }).crm)
        : this.#update(order);
      if (this.resultShape === "positional" || this.resultShape === "errorsOnly") return result;
      const key = this.resultShape === "byNumericOrderNumber" && /^\d+$/.test(String(orderNumber))
        ? Number(orderNumber)
        : orderNumber;
      return { orderNumber: key, ...result };
    });
    if (this.resultShape === "errorsOnly") {
      results = results.filter((_, i) => refusals[i] !== undefined);
    } else if (this.resultShape !== "positional") results = results.reverse();

    if (this.#applyThenFail.count > 0) {
      this.#applyThenFail.count--;
      return [this.#applyThenFail.status, { meta: {}, data: { error: "Bad gateway" } }];
    }
    switch (this.answer) {
      case "perOrder":
        return [200, { meta: {}, data: { orders: results } }];
      case "successOnly":
        return [200, { data: { success: true } }];
      case "emptyBody":
        return [200, RAW_BODY("")];
      case "dataNull":
        return [200, { meta: {}, data: null }];
      case "noOrders":
        return [200, { meta: {}, data: {} }];
      case "ordersEmpty":
        return [200, { meta: {}, data: { orders: [] } }];
      case "notJson":
        return [200, RAW_BODY("OK")];
    }
  }

  /**
   * The answer a probe file recorded for these orders' situations, applying what it accepted;
   * undefined when the file has no call for one of the situations (then the switches answer).
   */
  #replayAnswer(
    replay: ProbeReport,
    operation: "create" | "update",
    orders: Record<string, unknown>[],
  ): [number, unknown] | undefined {
    const situations = orders.map((order): ProbeSituation => {
      const exists = this.deals.has(String(order.orderNumber));
      if (operation === "create") return exists ? "createExisting" : "createNew";
      if (!exists) return "updateMissing";
      const tags = (order.addTags as { tags?: unknown[] } | undefined)?.tags;
      return Array.isArray(tags) && tags.length === 0 ? "updateEmptyTags" : "updateExisting";
    });
    const recorded = situations.map((situation) =>
      replay.calls.find((call) => call.situation === situation)
    );
    if (recorded.some((call) => call === undefined || call.status === undefined)) return undefined;
    const calls = recorded as (typeof replay.calls[number] & { status: number })[];
    // The recorded text, about the probe's order number, made about another one.
    const about = (text: string, orderNumber: string) =>
      text.split(`${replay.orderNumber}-missing`).join(orderNumber)
        .split(replay.orderNumber).join(orderNumber);
    const refusal = calls.findIndex((call) => call.status < 200 || call.status >= 300);
    if (refusal >= 0) {
      const text = about(calls[refusal].body ?? "", String(orders[refusal].orderNumber));
      return [calls[refusal].status, RAW_BODY(text)];
    }
    const upserts = replay.calls.find((c) => c.situation === "createAfterUpdateMissing")
      ?.reading === "exists";
    const entries: unknown[] = [];
    orders.forEach((order, i) => {
      const call = calls[i];
      if (call.reading === "accepted") {
        if (call.situation === "createNew" || call.situation === "createExisting") {
          this.#create(order);
        } else if (call.situation !== "updateMissing" || upserts) this.#update(order);
      }
      const body = parseJsonText(about(call.body ?? "", String(order.orderNumber)));
      const entry = (body as { data?: { orders?: unknown[] } } | undefined)?.data?.orders?.[0];
      if (entry !== undefined) entries.push(entry);
    });
    const first = about(calls[0].body ?? "", String(orders[0].orderNumber));
    const json = parseJsonText(first) as { data?: { orders?: unknown[] } } | undefined;
    if (json?.data && Array.isArray(json.data.orders) && entries.length === orders.length) {
      return [calls[0].status, { ...json, data: { ...json.data, orders: entries } }];
    }
    return [calls[0].status, RAW_BODY(first)];
  }

  /** Why an order is refused, if it is (nothing is applied for it). */
  #refusalOf(
    operation: "create" | "update",
    order: Record<string, unknown>,
  ): { code: string; message: string } | undefined {
    const orderNumber = String(order.orderNumber);
    const arbitrary = this.wording === "arbitrary";
    if (this.refuseAll) return { code: "PROJECT_DISABLED", message: SYSTEMATIC_REASON };
    const rejection = this.#rejections.get(orderNumber);
    if (rejection !== undefined) return { code: "ORDER_REJECTED", message: rejection };
    if (operation === "create" && this.duplicateCreate === "error" && this.deals.has(orderNumber)) {
      return {
        code: arbitrary ? "E1043" : "ORDER_ALREADY_EXISTS",
        message: arbitrary
          ? "Операция отклонена (код 1043)"
          : `Сделка с orderNumber «${orderNumber}» уже существует`,
      };
    }
    if (operation === "update" && this.updateMissing === "error" && !this.deals.has(orderNumber)) {
      return {
        code: arbitrary ? "E2071" : "ORDER_NOT_FOUND",
        message: arbitrary
          ? "Операция отклонена (код 2071)"
          : `Сделка с orderNumber «${orderNumber}» не найдена`,
      };
    }
    return undefined;
  }

  /** A per-order error result, shaped as `errorShape` says. */
  #errorResult(
    operation: "create" | "update",
    refusal: { code: string; message: string },
  ): Record<string, unknown> {
    const statusKey = operation === "create" ? "createStatus" : "updateStatus";
    const base = operation === "create" ? { calltouchOrderId: null } : {};
    switch (this.errorShape) {
      case "string":
        return { ...base, error: refusal.message };
      case "object":
        return { ...base, error: refusal };
      case "array":
        return { ...base, error: [refusal] };
      case "errors":
        return { ...base, errors: [{ message: refusal.message }] };
      case "status":
        return { ...base, [statusKey]: "error", error: null };
      case "successFalse":
        return { ...base, success: false, error: null };
    }
  }

  #create(order: Record<string, unknown>, crm?: unknown): Record<string, unknown> {
    const orderNumber = String(order.orderNumber);
    const existing = this.deals.get(orderNumber);
    const deal = existing ?? this.#newDeal(orderNumber);
    if (typeof crm === "string") deal.crm = crm;
    if (existing) existing.updateCount++;
    const { matching, addTags, comment, customFields, orderNumber: _, ...fields } = order;
    Object.assign(deal.fields, fields);
    setCustomFields(deal, customFields);
    if (Array.isArray(matching)) deal.matching = matching;
    if (Array.isArray(addTags)) {
      for (const { tag } of addTags) if (!deal.tags.includes(tag)) deal.tags.push(tag);
    }
    if (isObject(comment)) deal.comments.push(String(comment.text));
    return { calltouchOrderId: deal.calltouchOrderId, error: null };
  }

  #update(order: Record<string, unknown>): Record<string, unknown> {
    const orderNumber = String(order.orderNumber);
    let deal = this.deals.get(orderNumber);
    if (!deal && this.updateMissing === "ignore") return { updateStatus: "success", error: null };
    if (deal) deal.updateCount++;
    else deal = this.#newDeal(orderNumber);
    const { reMatching, addTags, addNewComment, customFields, orderNumber: _, ...fields } = order;
    Object.assign(deal.fields, fields);
    setCustomFields(deal, customFields);
    if (Array.isArray(reMatching)) {
      deal.matching = reMatching;
      deal.rematchCount++;
    }
    if (isObject(addTags) && Array.isArray(addTags.tags)) {
      const tags = (addTags.tags as { tag: string }[]).map((t) => t.tag);
      if (addTags.overwrite) deal.tags = [...new Set(tags)];
      else for (const tag of tags) if (!deal.tags.includes(tag)) deal.tags.push(tag);
    }
    if (isObject(addNewComment)) deal.comments.push(String(addNewComment.text));
    return { calltouchOrderId: deal.calltouchOrderId, updateStatus: "success", error: null };
  }

  #newDeal(orderNumber: string): StoredDeal {
    const deal = storedDeal(orderNumber, this.#nextId++);
    this.deals.set(orderNumber, deal);
    return deal;
  }

  async #admin(request: Request, path: string): Promise<Response> {
    const route = `${request.method} ${path.slice(ADMIN_PREFIX.length).replace(/\/+$/, "")}`;
    switch (route) {
      case "GET state":
        return json(200, this.state());
      case "GET requests":
        return json(200, this.requests);
      case "GET deals":
        return json(200, Object.fromEntries(this.deals));
      case "GET violations":
        return json(200, { count: this.rateViolations, violations: this.violations });
      case "POST reset":
        this.reset();
        return json(200, this.state());
      case "POST switches": {
        let body: unknown;
        try {
          body = await request.json();
        } catch {
          return json(400, { error: "expected a JSON object" });
        }
        const problem = this.#applyAdmin(body);
        return problem ? json(400, { error: problem }) : json(200, this.state());
      }
      default:
        return json(404, {
          error: "unknown admin route",
          routes: [
            "GET state",
            "GET requests",
            "GET deals",
            "GET violations",
            "POST switches",
            "POST reset",
          ].map((r) => r.replace(" ", ` ${ADMIN_PREFIX}`)),
        });
    }
  }

  /**
   * Applies a `POST /_emulator/switches` body: any switch, plus `failNext: {count, status}`,
   * `applyThenFail: {count, status}` and `rejectOrder: {orderNumber, reason}`. Returns a problem.
   */
  #applyAdmin(body: unknown): string | undefined {
    if (!isObject(body)) return "expected a JSON object";
    const problem = switchProblem(body);
    if (problem) return problem;
    const { failNext, applyThenFail, rejectOrder } = body;
    for (const [name, fault] of [["failNext", failNext], ["applyThenFail", applyThenFail]]) {
      if (
        fault !== undefined &&
        !(isObject(fault) && Number.isInteger(fault.count) &&
          (fault.status === undefined || Number.isInteger(fault.status)))
      ) {
        return `${name} must be {"count": integer, "status"?: integer}`;
      }
    }
    if (
      rejectOrder !== undefined &&
      !(isObject(rejectOrder) && typeof rejectOrder.orderNumber === "string" &&
        typeof rejectOrder.reason === "string")
    ) {
      return 'rejectOrder must be {"orderNumber": string, "reason": string}';
    }
    this.set(body as Partial<CalltouchSwitches>);
    if (isObject(failNext)) this.failNext(failNext.count as number, failNext.status as number);
    if (isObject(applyThenFail)) {
      this.applyThenFail(applyThenFail.count as number, applyThenFail.status as number);
    }
    if (isObject(rejectOrder)) {
      this.rejectOrder(rejectOrder.orderNumber as string, rejectOrder.reason as string);
    }
    return undefined;
  }
}

const oneOf = (...values: unknown[]) => (v: unknown) => values.includes(v);
const SWITCH_VALUES: { [K in keyof CalltouchSwitches]: (v: unknown) => boolean } = {
  duplicateCreate: oneOf("error", "upsert"),
  updateMissing: oneOf("error", "create", "ignore"),
  rateLimit: (v) => typeof v === "boolean",
  delayMs: (v) => typeof v === "number" && Number.isFinite(v) && v >= 0,
  transitMs: (v) => typeof v === "number" && Number.isFinite(v) && v >= 0,
  errorShape: oneOf("string", "object", "array", "errors", "status", "successFalse"),
  resultShape: oneOf("positional", "byOrderNumber", "byNumericOrderNumber", "errorsOnly"),
  refusal: oneOf("perOrder", 400, 404, 409, 422),
  wording: oneOf("known", "arbitrary"),
  answer: oneOf("perOrder", ...ANSWERS_WITHOUT_RESULTS),
  refuseAll: (v) => typeof v === "boolean",
  journalShape: oneOf("records", "flat"),
  journalPageCount: (v) => typeof v === "boolean",
  journalDateTo: oneOf("inclusive", "exclusive"),
  journalNoLead: oneOf("custom", "customTypeOnly", "typeNone", "absent", "emptyObjects", "nulls"),
  journalSum: oneOf("completed", "openDeal"),
  dailyPoints: (v) => v === null || (typeof v === "number" && Number.isInteger(v) && v >= 0),
  pointsRefusal: oneOf(429, 403, 200),
};

function pickSwitches(from: object): Partial<CalltouchSwitches> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(SWITCH_VALUES)) {
    const value = (from as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked as Partial<CalltouchSwitches>;
}

function switchProblem(body: Record<string, unknown>): string | undefined {
  for (const [key, valid] of Object.entries(SWITCH_VALUES)) {
    if (key in body && !valid(body[key])) return `invalid value for ${key}`;
  }
  return undefined;
}

/**
 * Starts an emulator on 127.0.0.1 (a free port unless `options.port` is given).
 *
 * @example
 * const calltouch = await startCalltouchEmulator({ duplicateCreate: "upsert" });
 * try {
 *   // new CalltouchClient({ baseUrl: calltouch.url, siteId: calltouch.siteId, token: calltouch.token })
 * } finally {
 *   await calltouch.close();
 * }
 */
export async function startCalltouchEmulator(
  options: CalltouchEmulatorOptions = {},
): Promise<CalltouchEmulator> {
  const emulator = new CalltouchEmulator(options);
  await emulator.start();
  return emulator;
}
