/**
 * An offline Google (OAuth token endpoint + Sheets API v4) over real HTTP on 127.0.0.1, for
 * tests, the demo and the benchmark. It verifies service-account JWTs, issues short-lived opaque
 * tokens, serves the values and spreadsheets endpoints with Google's shapes and errors (see
 * `google_model.ts` and reference §3.2/§10), records every request, injects faults, and has an
 * admin API under `/_emulator/` for use from another process.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { compactVerify, decodeJwt, decodeProtectedHeader, importSPKI } from "jose";
import { type Clock, systemClock } from "../../src/util/clock.ts";
import { testServiceAccount } from "../support/service_account.ts";
import {
  ApiError,
  applyWrites,
  batchUpdate,
  checkMask,
  newSheet,
  parseFieldMask,
  planWrite,
  project,
  readValues,
  type RenderOptions,
  resolveRange,
  type SheetInit,
  SPREADSHEET_FIELDS,
  spreadsheetJson,
  type SpreadsheetModel,
  STATUS_BY_CODE,
  type Value,
  type WritePlan,
} from "./google_model.ts";

export type { NumberFormat, SheetInit, Value } from "./google_model.ts";

/** Scope that allows reading and writing spreadsheets. */
const SCOPE_RW = [
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/drive",
];
/** Scopes that allow reading only. */
const SCOPE_RO = [
  "https://www.googleapis.com/auth/spreadsheets.readonly",
  "https://www.googleapis.com/auth/drive.readonly",
  "https://www.googleapis.com/auth/drive.file",
];
const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Google's limit on `exp − iat` of an assertion. */
const MAX_ASSERTION_SECONDS = 3600;
/** Default lifetime of issued access tokens (what Google answers). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;
/** Tolerated clock difference for `iat`/`exp`. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
/** Recorded requests kept (oldest dropped first). */
export const DEFAULT_MAX_RECORDED = 1000;
/** Longest request body kept in a recording. */
export const DEFAULT_MAX_BODY_CHARS = 256 * 1024;
const ADMIN_PREFIX = "/_emulator/";

/** What a request was, for counters, faults and hooks. */
export type GoogleRequestKind =
  | "token"
  | "metadata"
  | "valuesRead"
  | "valuesWrite"
  | "batchUpdate"
  | "other";

const KINDS: readonly GoogleRequestKind[] = [
  "token",
  "metadata",
  "valuesRead",
  "valuesWrite",
  "batchUpdate",
  "other",
];

/** Requests received by kind, plus Google's quota buckets. */
export type GoogleCounters = Record<GoogleRequestKind, number> & {
  /** metadata + valuesRead (Sheets read quota). */
  reads: number;
  /** valuesWrite + batchUpdate (Sheets write quota). */
  writes: number;
};

/** One request the emulator received (admin requests are not recorded). */
export interface GoogleRecordedRequest {
  kind: GoogleRequestKind;
  method: string;
  /** Percent-decoded path. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body of writes and batch updates; undefined otherwise. */
  body?: unknown;
  status: number;
  /** Clock time of arrival (epoch ms). */
  time: number;
}

/** A spreadsheet to create. */
export interface SpreadsheetInit {
  /** Default: a random 44-character id. */
  spreadsheetId?: string;
  /** Default "Сделки клиники". */
  title?: string;
  /** Default "ru_RU". */
  locale?: string;
  /** Default "Europe/Moscow". */
  timeZone?: string;
  /** Tabs. Default: one empty "Лист1" (ru) or "Sheet1". */
  sheets?: SheetInit[];
  /** E-mails with editor access, or e-mail → role. Default: nobody. */
  sharedWith?: string[] | Record<string, "reader" | "writer">;
}

/** A fault to inject: the next `count` requests (of `kind`, or of any kind) fail. */
export interface FaultOptions {
  status: 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503 | 504 | number;
  /** Default: any kind but "other". */
  kind?: GoogleRequestKind;
  /** Replaces Google's usual message for that status. */
  message?: string;
  /** Sent as Retry-After (seconds). */
  retryAfterSeconds?: number;
}

/** Options of {@linkcode startGoogleEmulator}. */
export interface GoogleEmulatorOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Token expiry, `iat`/`exp` checks and quota windows. Tests share a `ManualClock`. */
  clock?: Clock;
  /** Accepted service accounts. Default: the test service account of `test/support`. */
  serviceAccounts?: { clientEmail: string; publicKeyPem: string }[];
  /** `expires_in` of issued tokens. Default {@linkcode DEFAULT_TOKEN_LIFETIME_SECONDS}. */
  tokenLifetimeSeconds?: number;
  /** Default {@linkcode DEFAULT_CLOCK_SKEW_SECONDS}. */
  clockSkewSeconds?: number;
  /** The `aud` an assertion must carry. Default: this emulator's own token URL. */
  tokenAudience?: string;
  /** Per-user per-minute quotas (Google: 60); exceeding answers 429. Default: off. */
  quota?: { readsPerMinute?: number; writesPerMinute?: number };
  /** Default {@linkcode DEFAULT_MAX_RECORDED}. */
  maxRecorded?: number;
  /** Bodies longer than this are recorded as `"<N characters>"`. Default {@linkcode DEFAULT_MAX_BODY_CHARS}. */
  maxRecordedBodyChars?: number;
}

/** A hook run before a request of some kind is handled; it may change the spreadsheets. */
export type GoogleHook = (emulator: GoogleEmulator) => void | Promise<void>;

interface IssuedToken {
  email: string;
  scopes: string[];
  expiresAt: number;
}

interface ArmedFault extends FaultOptions {
  remaining: number;
}

interface ArmedDelay {
  kind?: GoogleRequestKind;
  remaining: number;
  ms: number;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Request contains an invalid argument.",
  401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login " +
    "cookie or other valid authentication credential. See " +
    "https://developers.google.com/identity/sign-in/web/devconsole-project.",
  403: "The caller does not have permission",
  404: "Requested entity was not found.",
  429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of " +
    "service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
  500: "Internal error encountered.",
  502: "Bad Gateway",
  503: "The service is currently unavailable.",
  504: "The request timed out. Please try again.",
};

const TOKEN_ERRORS: Record<number, string> = {
  400: "invalid_grant",
  401: "invalid_client",
  403: "access_denied",
  429: "rate_limit_exceeded",
};

function rateLimitDetails(bucket: "Read" | "Write" | "Requests"): unknown[] {
  return [{
    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
    reason: "RATE_LIMIT_EXCEEDED",
    domain: "googleapis.com",
    metadata: {
      service: "sheets.googleapis.com",
      quota_metric: `sheets.googleapis.com/${bucket.toLowerCase()}_requests`,
      quota_limit_value: "60",
    },
  }];
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=UTF-8", ...headers },
  });
}

function apiError(error: ApiError, headers: Record<string, string> = {}): Response {
  return json(error.body(), error.code, headers);
}

function randomId(length: number, alphabet: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function enumParam<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T,
  protoName: string,
): T {
  const value = query.get(name);
  if (value === null) return fallback;
  if (!allowed.includes(value as T)) {
    throw new ApiError(
      400,
      `Invalid value at '${protoName}' (type.googleapis.com/google.apps.sheets.v4.${
        protoName.split("_").map((p) => p[0].toUpperCase() + p.slice(1)).join("")
      }), "${value}"`,
    );
  }
  return value as T;
}

function renderOptions(query: URLSearchParams): RenderOptions {
  return {
    majorDimension: enumParam(
      query,
      "majorDimension",
      ["ROWS", "COLUMNS"],
      "ROWS",
      "major_dimension",
    ),
    valueRenderOption: enumParam(
      query,
      "valueRenderOption",
      ["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"],
      "FORMATTED_VALUE",
      "value_render_option",
    ),
    dateTimeRenderOption: enumParam(
      query,
      "dateTimeRenderOption",
      ["SERIAL_NUMBER", "FORMATTED_STRING"],
      "SERIAL_NUMBER",
      "date_time_render_option",
    ),
  };
}

/**
 * The running emulator. Create it with {@linkcode startGoogleEmulator}; use `url` as
 * GOOGLE_SHEETS_API_URL and `tokenUrl` (`url + "/token"`) as GOOGLE_TOKEN_URL.
 */
export class GoogleEmulator {
  /** `http://127.0.0.1:<port>`: the Sheets API root. */
  readonly url: string;
  /** `url + "/token"`: the OAuth token endpoint. */
  readonly tokenUrl: string;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #clock: Clock;
  readonly #lifetimeSeconds: number;
  readonly #skewSeconds: number;
  readonly #audience: string;
  readonly #quota: { readsPerMinute?: number; writesPerMinute?: number };
  readonly #maxRecorded: number;
  readonly #maxBodyChars: number;
  readonly #publicKeys = new Map<string, CryptoKey>();
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #books = new Map<string, SpreadsheetModel>();
  readonly #recorded: GoogleRecordedRequest[] = [];
  readonly #counters = new Map<GoogleRequestKind, number>();
  #faults: ArmedFault[] = [];
  #delays: ArmedDelay[] = [];
  readonly #hooks = new Map<GoogleRequestKind, GoogleHook[]>();
  readonly #quotaLog = new Map<string, number[]>();
  readonly #timers = new Set<{ id?: ReturnType<typeof setTimeout>; resolve: () => void }>();

  /** Use {@linkcode startGoogleEmulator}. */
  constructor(server: Deno.HttpServer<Deno.NetAddr>, clock: Clock, options: GoogleEmulatorOptions) {
    this.#server = server;
    this.url = `http://127.0.0.1:${server.addr.port}`;
    this.tokenUrl = `${this.url}/token`;
    this.#clock = clock;
    this.#lifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    this.#skewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
    this.#audience = options.tokenAudience ?? this.tokenUrl;
    this.#quota = options.quota ?? {};
    this.#maxRecorded = options.maxRecorded ?? DEFAULT_MAX_RECORDED;
    this.#maxBodyChars = options.maxRecordedBodyChars ?? DEFAULT_MAX_BODY_CHARS;
  }

  /** Stops serving and cancels pending delays. */
  async close(): Promise<void> {
    for (const timer of this.#timers) {
      clearTimeout(timer.id);
      timer.resolve();
    }
    this.#timers.clear();
    await this.#server.shutdown();
  }

  // -- service accounts and tokens --------------------------------------------------------------

  /** Accepts assertions signed by this key for `iss = clientEmail`. */
  async registerServiceAccount(clientEmail: string, publicKeyPem: string): Promise<void> {
    this.#publicKeys.set(clientEmail, await importSPKI(publicKeyPem, "RS256"));
  }

  /** Makes every issued access token unknown (the next Sheets call answers 401). */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** Access tokens issued and still stored (expired ones included). */
  get issuedTokens(): number {
    return this.#tokens.size;
  }

  // -- spreadsheets -------------------------------------------------------------------------------

  /**
   * Creates a spreadsheet and returns its id.
   *
   * @example
   * const id = google.createSpreadsheet({
   *   sheets: [{ title: "Сделки 2026", values: [["ID сделки", "Статус"], [1, "new"]] }],
   *   sharedWith: [account.clientEmail],
   * });
   */
  createSpreadsheet(init: SpreadsheetInit = {}): string {
    const spreadsheetId = init.spreadsheetId ?? randomId(44, ID_ALPHABET);
    if (this.#books.has(spreadsheetId)) throw new Error(`spreadsheet ${spreadsheetId} exists`);
    const locale = init.locale ?? "ru_RU";
    const book: SpreadsheetModel = {
      spreadsheetId,
      title: init.title ?? "Сделки клиники",
      locale,
      timeZone: init.timeZone ?? "Europe/Moscow",
      sheets: [],
      shares: new Map(),
      nextId: 1_000_000,
    };
    const tabs = init.sheets ?? [{ title: locale.startsWith("ru") ? "Лист1" : "Sheet1" }];
    tabs.forEach((tab, i) => {
      const sheetId = tab.sheetId ?? (i === 0 ? 0 : book.nextId++);
      if (book.sheets.some((s) => s.sheetId === sheetId || s.title === tab.title)) {
        throw new Error(`duplicate tab ${tab.title} / ${sheetId}`);
      }
      book.sheets.push(newSheet({ ...tab, sheetId }, i));
    });
    const shared = Array.isArray(init.sharedWith)
      ? init.sharedWith.map((e) => [e, "writer"] as const)
      : Object.entries(init.sharedWith ?? {});
    for (const [email, role] of shared) book.shares.set(email, role);
    this.#books.set(spreadsheetId, book);
    return spreadsheetId;
  }

  /** Adds a tab to a spreadsheet; returns its sheetId. */
  addSheet(spreadsheetId: string, tab: SheetInit): number {
    const book = this.#book(spreadsheetId);
    if (book.sheets.some((s) => s.title === tab.title)) throw new Error(`tab ${tab.title} exists`);
    const sheetId = tab.sheetId ?? book.nextId++;
    book.sheets.push(newSheet({ ...tab, sheetId }, book.sheets.length));
    return sheetId;
  }

  /** Removes a spreadsheet (later calls answer 404). */
  deleteSpreadsheet(spreadsheetId: string): void {
    this.#books.delete(spreadsheetId);
  }

  /** Gives `email` access ("writer" = Editor, default). */
  share(spreadsheetId: string, email: string, role: "reader" | "writer" = "writer"): void {
    this.#book(spreadsheetId).shares.set(email, role);
  }

  /** Takes access away (later calls answer 403). */
  unshare(spreadsheetId: string, email: string): void {
    this.#book(spreadsheetId).shares.delete(email);
  }

  /**
   * Protects an A1 range (`'Deals'!D:D`, or a whole tab) against everyone but `editors`;
   * returns the protectedRangeId.
   */
  protect(
    spreadsheetId: string,
    a1Range: string,
    options: { editors?: string[]; warningOnly?: boolean; description?: string } = {},
  ): number {
    const book = this.#book(spreadsheetId);
    const { sheet, rect } = resolveRange(book, a1Range);
    const id = book.nextId++;
    sheet.protectedRanges.push({
      protectedRangeId: id,
      range: {
        sheetId: sheet.sheetId,
        startRowIndex: rect.r0,
        ...(rect.r1 !== undefined ? { endRowIndex: rect.r1 } : {}),
        startColumnIndex: rect.c0,
        ...(rect.c1 !== undefined ? { endColumnIndex: rect.c1 } : {}),
      },
      editors: options.editors ?? [],
      warningOnly: options.warningOnly ?? false,
      ...(options.description ? { description: options.description } : {}),
    });
    return id;
  }

  /**
   * Reads a range as `values.get` would (default UNFORMATTED_VALUE + SERIAL_NUMBER), without
   * auth, counters or faults; `[]` when empty.
   *
   * @example
   * google.values(id, "'Сделки 2026'!E:E"); // [["Calltouch"], ["✅ создана …"], …]
   */
  values(spreadsheetId: string, a1Range: string, options: Partial<RenderOptions> = {}): Value[][] {
    const book = this.#book(spreadsheetId);
    return (readValues(book, resolveRange(book, a1Range), {
      majorDimension: "ROWS",
      valueRenderOption: "UNFORMATTED_VALUE",
      dateTimeRenderOption: "SERIAL_NUMBER",
      ...options,
    }).values ?? []) as Value[][];
  }

  /** One cell (`'Deals'!C5`), or undefined when it is empty. */
  cell(spreadsheetId: string, a1Cell: string): Value | undefined {
    return this.values(spreadsheetId, a1Cell)[0]?.[0];
  }

  /** Writes values as `values.update` would (RAW by default), without auth or protections. */
  setValues(
    spreadsheetId: string,
    a1Range: string,
    values: (Value | null)[][],
    valueInputOption: "RAW" | "USER_ENTERED" = "RAW",
  ): void {
    const book = this.#book(spreadsheetId);
    // No caller: protections bind API callers only.
    applyWrites([planWrite(book, a1Range, { values }, valueInputOption, undefined)]);
  }

  /** Applies `spreadsheets:batchUpdate` requests without auth; returns the replies. */
  batchUpdate(
    spreadsheetId: string,
    requests: sheets_v4.Schema$Request[],
  ): sheets_v4.Schema$Response[] {
    return batchUpdate(this.#book(spreadsheetId), requests, undefined);
  }

  /** Inserts `count` empty rows before 1-based `row` of a tab (as a person would). */
  insertRows(spreadsheetId: string, title: string, row: number, count = 1): void {
    const sheetId = this.#sheetId(spreadsheetId, title);
    this.batchUpdate(spreadsheetId, [{
      insertDimension: {
        range: { sheetId, dimension: "ROWS", startIndex: row - 1, endIndex: row - 1 + count },
        inheritFromBefore: row > 1,
      },
    }]);
  }

  /** Deletes `count` rows starting at 1-based `row` of a tab. */
  deleteRows(spreadsheetId: string, title: string, row: number, count = 1): void {
    const sheetId = this.#sheetId(spreadsheetId, title);
    this.batchUpdate(spreadsheetId, [{
      deleteDimension: {
        range: { sheetId, dimension: "ROWS", startIndex: row - 1, endIndex: row - 1 + count },
      },
    }]);
  }

  /** Sorts the rows of a tab from `fromRow` (default 2, below the header) by a 1-based column. */
  sortRows(
    spreadsheetId: string,
    title: string,
    options: { column: number; descending?: boolean; fromRow?: number },
  ): void {
    const sheetId = this.#sheetId(spreadsheetId, title);
    this.batchUpdate(spreadsheetId, [{
      sortRange: {
        range: { sheetId, startRowIndex: (options.fromRow ?? 2) - 1 },
        sortSpecs: [{
          dimensionIndex: options.column - 1,
          sortOrder: options.descending ? "DESCENDING" : "ASCENDING",
        }],
      },
    }]);
  }

  /** The spreadsheet resource as `spreadsheets.get` returns it without a mask. */
  spreadsheet(spreadsheetId: string): sheets_v4.Schema$Spreadsheet {
    return spreadsheetJson(this.#book(spreadsheetId), undefined);
  }

  /** Ids of every spreadsheet. */
  spreadsheetIds(): string[] {
    return [...this.#books.keys()];
  }

  // -- faults, delays, hooks ----------------------------------------------------------------------

  /**
   * Fails the next `count` requests (of `options.kind`, or of any Google kind) with
   * `options.status` and Google's usual body for it (a token request gets an OAuth error).
   *
   * @example
   * google.failNext(2, { status: 503, kind: "valuesRead" });
   */
  failNext(count: number, options: FaultOptions): void {
    this.#faults.push({ ...options, remaining: count });
  }

  /** Delays the next `count` requests (of `kind`, or any) by `ms` real milliseconds. */
  delayNext(count: number, ms: number, kind?: GoogleRequestKind): void {
    this.#delays.push({ kind, remaining: count, ms });
  }

  /**
   * Runs `hook` right before the next request of `kind` is handled (after faults), once. Hooks
   * of a kind run in the order they were added; a hook may add another.
   *
   * @example
   * // A person inserts a row between the sync's ID-column read and its write.
   * google.beforeNextWrite((g) => g.insertRows(id, "Сделки", 2));
   */
  beforeNext(kind: GoogleRequestKind, hook: GoogleHook): void {
    const hooks = this.#hooks.get(kind) ?? [];
    hooks.push(hook);
    this.#hooks.set(kind, hooks);
  }

  /** {@linkcode beforeNext} for the next values write (`values:batchUpdate` or `values.update`). */
  beforeNextWrite(hook: GoogleHook): void {
    this.beforeNext("valuesWrite", hook);
  }

  /** Drops every armed fault, delay and hook. */
  clearFaults(): void {
    this.#faults = [];
    this.#delays = [];
    this.#hooks.clear();
  }

  // -- observation --------------------------------------------------------------------------------

  /** Requests received, oldest first (admin requests excluded), up to `maxRecorded`. */
  get requests(): readonly GoogleRecordedRequest[] {
    return this.#recorded;
  }

  /** Requests received by kind since the start or the last reset. */
  counters(): GoogleCounters {
    const byKind = Object.fromEntries(
      KINDS.map((k) => [k, this.#counters.get(k) ?? 0]),
    ) as Record<GoogleRequestKind, number>;
    return {
      ...byKind,
      reads: byKind.metadata + byKind.valuesRead,
      writes: byKind.valuesWrite + byKind.batchUpdate,
    };
  }

  /** Zeroes the counters and forgets recorded requests. */
  resetCounters(): void {
    this.#counters.clear();
    this.#recorded.length = 0;
    this.#quotaLog.clear();
  }

  /**
   * Back to a fresh emulator: counters, recordings, faults, hooks, tokens and (unless
   * `keepData`) spreadsheets. Registered service accounts stay.
   */
  reset(options: { keepData?: boolean } = {}): void {
    this.resetCounters();
    this.clearFaults();
    this.#tokens.clear();
    if (!options.keepData) this.#books.clear();
  }

  // -- HTTP ---------------------------------------------------------------------------------------

  /** Handles one HTTP request (bound as the server's handler). */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      try {
        return await this.#admin(request, url);
      } catch (error) {
        if (error instanceof ApiError) return apiError(error);
        return apiError(new ApiError(400, error instanceof Error ? error.message : String(error)));
      }
    }
    const route = this.#route(request.method, url.pathname);
    const record: GoogleRecordedRequest = {
      kind: route.kind,
      method: request.method,
      path: safeDecode(url.pathname),
      query: Object.fromEntries(url.searchParams),
      status: 0,
      time: this.#clock.now(),
    };
    this.#count(route.kind);
    this.#recorded.push(record);
    if (this.#recorded.length > this.#maxRecorded) this.#recorded.shift();
    const response = await this.#serve(request, url, route, record);
    record.status = response.status;
    return response;
  }

  async #serve(
    request: Request,
    url: URL,
    route: Route,
    record: GoogleRecordedRequest,
  ): Promise<Response> {
    const text = await request.text();
    // Parsed once, here: bodies of 50,000-row writes are large.
    let parsed: { value?: unknown } = {};
    if (route.kind === "valuesWrite" || route.kind === "batchUpdate") {
      try {
        parsed = { value: text ? JSON.parse(text) : {} };
      } catch {
        parsed = {};
      }
      record.body = text.length > this.#maxBodyChars
        ? `<${text.length} characters>`
        : "value" in parsed
        ? parsed.value
        : text;
    }
    await this.#delay(route.kind);
    const fault = this.#takeFault(route.kind);
    if (fault) return this.#faultResponse(route.kind, fault);
    const hooks = this.#hooks.get(route.kind);
    const hook = hooks?.shift();
    if (hook) await hook(this);
    try {
      if (route.kind === "token") return await this.#token(request.method, text);
      if (route.kind === "other") {
        throw new ApiError(404, `Method not found: ${request.method} ${url.pathname}`);
      }
      const caller = this.#authenticate(request, route.kind);
      const book = this.#books.get(route.spreadsheetId!);
      if (!book) throw new ApiError(404, DEFAULT_MESSAGES[404]);
      const role = book.shares.get(caller.email);
      const writes = route.kind === "valuesWrite" || route.kind === "batchUpdate";
      if (!role || (writes && role !== "writer")) throw new ApiError(403, DEFAULT_MESSAGES[403]);
      this.#chargeQuota(caller.email, writes);
      return this.#sheets(route, url.searchParams, parsed, book, caller.email);
    } catch (error) {
      if (error instanceof ApiError) {
        const headers: Record<string, string> = error.code === 401
          ? { "www-authenticate": 'Bearer realm="https://accounts.google.com/"' }
          : {};
        return apiError(error, headers);
      }
      const message = error instanceof Error ? error.message : String(error);
      return apiError(new ApiError(500, `Emulator failure: ${message}`));
    }
  }

  #count(kind: GoogleRequestKind): void {
    this.#counters.set(kind, (this.#counters.get(kind) ?? 0) + 1);
  }

  #route(method: string, pathname: string): Route {
    if (pathname === "/token") return { kind: method === "POST" ? "token" : "other" };
    const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(pathname);
    if (!m) return { kind: "other" };
    const spreadsheetId = safeDecode(m[1]);
    const rest = m[2];
    if (rest === "" && method === "GET") return { kind: "metadata", spreadsheetId, op: "get" };
    if (rest === ":batchUpdate" && method === "POST") {
      return { kind: "batchUpdate", spreadsheetId, op: "batchUpdate" };
    }
    if (rest === "/values:batchGet" && method === "GET") {
      return { kind: "valuesRead", spreadsheetId, op: "batchGet" };
    }
    if (rest === "/values:batchUpdate" && method === "POST") {
      return { kind: "valuesWrite", spreadsheetId, op: "valuesBatchUpdate" };
    }
    const v = /^\/values\/([^/]+)$/.exec(rest);
    if (v) {
      // Split a ":verb" off the raw segment first: an encoded range never holds a bare colon
      // followed by a verb name.
      const verb = /:(clear|append)$/.exec(v[1]);
      const range = safeDecode(verb ? v[1].slice(0, -verb[0].length) : v[1]);
      if (verb?.[1] === "clear" && method === "POST") {
        return { kind: "valuesWrite", spreadsheetId, op: "clear", range };
      }
      if (!verb && method === "GET") return { kind: "valuesRead", spreadsheetId, op: "get", range };
      if (!verb && method === "PUT") {
        return { kind: "valuesWrite", spreadsheetId, op: "update", range };
      }
    }
    return { kind: "other" };
  }

  async #delay(kind: GoogleRequestKind): Promise<void> {
    const delay = this.#delays.find((d) => d.remaining > 0 && (d.kind ?? kind) === kind);
    if (!delay) return;
    delay.remaining--;
    this.#delays = this.#delays.filter((d) => d.remaining > 0);
    await new Promise<void>((resolve) => {
      const timer: { id?: ReturnType<typeof setTimeout>; resolve: () => void } = {
        resolve: () => {
          this.#timers.delete(timer);
          resolve();
        },
      };
      timer.id = setTimeout(timer.resolve, delay.ms);
      this.#timers.add(timer);
    });
  }

  #takeFault(kind: GoogleRequestKind): ArmedFault | undefined {
    if (kind === "other") return undefined;
    const fault = this.#faults.find((f) => f.remaining > 0 && (f.kind ?? kind) === kind);
    if (!fault) return undefined;
    fault.remaining--;
    this.#faults = this.#faults.filter((f) => f.remaining > 0);
    return fault;
  }

  #faultResponse(kind: GoogleRequestKind, fault: ArmedFault): Response {
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined
      ? { "retry-after": String(fault.retryAfterSeconds) }
      : {};
    if (kind === "token") {
      return json(
        {
          error: TOKEN_ERRORS[fault.status] ?? "internal_failure",
          error_description: fault.message ?? DEFAULT_MESSAGES[fault.status] ?? "Injected fault",
        },
        fault.status,
        headers,
      );
    }
    const details = fault.status === 429
      ? rateLimitDetails(kind === "metadata" || kind === "valuesRead" ? "Read" : "Write")
      : undefined;
    return apiError(
      new ApiError(
        fault.status,
        fault.message ?? DEFAULT_MESSAGES[fault.status] ?? "Injected fault",
        STATUS_BY_CODE[fault.status],
        details,
      ),
      headers,
    );
  }

  async #token(method: string, text: string): Promise<Response> {
    const refuse = (error: string, description: string, status = 400) =>
      json({ error, error_description: description }, status);
    if (method !== "POST") return refuse("invalid_request", "POST required", 405);
    const form = new URLSearchParams(text);
    const grantType = form.get("grant_type");
    if (grantType !== JWT_BEARER_GRANT) {
      return refuse("unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`);
    }
    const assertion = form.get("assertion");
    if (!assertion) return refuse("invalid_request", "Missing required parameter: assertion");
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      return refuse("invalid_grant", "Invalid JWT: could not decode the assertion.");
    }
    const email = typeof claims.iss === "string" ? claims.iss : "";
    const key = this.#publicKeys.get(email);
    if (!key) return refuse("invalid_grant", "Invalid grant: account not found");
    if (header.alg !== "RS256") return refuse("invalid_grant", "Invalid JWT Signature.");
    try {
      await compactVerify(assertion, key, { algorithms: ["RS256"] });
    } catch {
      return refuse("invalid_grant", "Invalid JWT Signature.");
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.#audience)) {
      return refuse("invalid_grant", "Invalid JWT: Failed audience check.");
    }
    const now = this.#clock.now() / 1000;
    const { iat, exp } = claims;
    if (
      typeof iat !== "number" || typeof exp !== "number" || exp - iat > MAX_ASSERTION_SECONDS ||
      exp <= iat || iat > now + this.#skewSeconds || exp < now - this.#skewSeconds
    ) {
      return refuse(
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable " +
          "timeframe. Check your iat and exp values in the JWT claim.",
      );
    }
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
    if (
      scopes.length === 0 || !scopes.every((x) => x.startsWith("https://www.googleapis.com/auth/"))
    ) {
      return refuse("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    }
    const accessToken = `ya29.emu-${randomId(48, ID_ALPHABET)}`;
    this.#tokens.set(accessToken, {
      email,
      scopes,
      expiresAt: this.#clock.now() + this.#lifetimeSeconds * 1000,
    });
    return json({
      access_token: accessToken,
      expires_in: this.#lifetimeSeconds,
      token_type: "Bearer",
    });
  }

  #authenticate(request: Request, kind: GoogleRequestKind): IssuedToken {
    const header = request.headers.get("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      throw new ApiError(
        401,
        "Request is missing required authentication credential. Expected OAuth 2 access token, " +
          "login cookie or other valid authentication credential. See " +
          "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "UNAUTHENTICATED",
        [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "CREDENTIALS_MISSING" }],
      );
    }
    const token = this.#tokens.get(m[1]);
    if (!token || this.#clock.now() >= token.expiresAt) {
      throw new ApiError(401, DEFAULT_MESSAGES[401], "UNAUTHENTICATED", [{
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "ACCESS_TOKEN_EXPIRED",
        domain: "googleapis.com",
      }]);
    }
    const writes = kind === "valuesWrite" || kind === "batchUpdate";
    const allowed = writes ? SCOPE_RW : [...SCOPE_RW, ...SCOPE_RO];
    if (!token.scopes.some((s) => allowed.includes(s))) {
      throw new ApiError(
        403,
        "Request had insufficient authentication scopes.",
        "PERMISSION_DENIED",
        [{
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
          domain: "googleapis.com",
        }],
      );
    }
    return token;
  }

  #chargeQuota(email: string, writes: boolean): void {
    const limit = writes ? this.#quota.writesPerMinute : this.#quota.readsPerMinute;
    if (limit === undefined) return;
    const key = `${writes ? "w" : "r"}:${email}`;
    const now = this.#clock.now();
    const log = (this.#quotaLog.get(key) ?? []).filter((t) => t > now - 60_000);
    if (log.length >= limit) {
      this.#quotaLog.set(key, log);
      const bucket = writes ? "Write" : "Read";
      throw new ApiError(
        429,
        `Quota exceeded for quota metric '${bucket} requests' and limit '${bucket} requests per ` +
          "minute per user' of service 'sheets.googleapis.com' for consumer " +
          "'project_number:000000000000'.",
        "RESOURCE_EXHAUSTED",
        rateLimitDetails(bucket),
      );
    }
    log.push(now);
    this.#quotaLog.set(key, log);
  }

  #sheets(
    route: Route,
    query: URLSearchParams,
    parsed: { value?: unknown },
    book: SpreadsheetModel,
    caller: string,
  ): Response {
    const body = () => {
      const value = parsed.value;
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new ApiError(400, "Invalid JSON payload received.");
      }
      return value;
    };
    const fields = query.get("fields");
    const mask = fields ? parseFieldMask(fields) : null;
    const answer = (value: unknown) => json(mask ? project(value, mask) : value);
    switch (route.op) {
      case "get": {
        if (route.kind === "metadata") {
          if (mask) checkMask(mask, SPREADSHEET_FIELDS);
          for (const range of query.getAll("ranges")) resolveRange(book, range);
          return answer(spreadsheetJson(book, caller));
        }
        return answer(readValues(book, resolveRange(book, route.range!), renderOptions(query)));
      }
      case "batchGet": {
        const options = renderOptions(query);
        const ranges = query.getAll("ranges");
        const valueRanges = ranges.map((range) =>
          readValues(book, resolveRange(book, range), options)
        );
        return answer({ spreadsheetId: book.spreadsheetId, valueRanges });
      }
      case "update": {
        const valueRange = body() as sheets_v4.Schema$ValueRange;
        if (valueRange.range) {
          const a = resolveRange(book, valueRange.range);
          const b = resolveRange(book, route.range!);
          if (a.sheet !== b.sheet || JSON.stringify(a.rect) !== JSON.stringify(b.rect)) {
            throw new ApiError(
              400,
              `Requested entity range (${valueRange.range}) does not match the URL range ${route.range}`,
            );
          }
        }
        const plan = planWrite(
          book,
          route.range!,
          valueRange,
          query.get("valueInputOption") ?? undefined,
          caller,
        );
        applyWrites([plan]);
        return answer(plan.response);
      }
      case "clear": {
        const { sheet, rect } = resolveRange(book, route.range!);
        const r1 = Math.min(rect.r1 ?? sheet.rowCount, sheet.rowCount);
        const c1 = Math.min(rect.c1 ?? sheet.columnCount, sheet.columnCount);
        const values = Array.from({ length: r1 - rect.r0 }, () => new Array(c1 - rect.c0).fill(""));
        const plan = planWrite(book, route.range!, { values }, "RAW", caller);
        applyWrites([plan]);
        return answer({
          spreadsheetId: book.spreadsheetId,
          clearedRange: plan.response.updatedRange,
        });
      }
      case "valuesBatchUpdate": {
        const request = body() as sheets_v4.Schema$BatchUpdateValuesRequest;
        const data = request.data ?? [];
        if (!Array.isArray(data)) {
          throw new ApiError(400, "Invalid JSON payload: 'data' must be a list");
        }
        const plans: WritePlan[] = data.map((item, i) => {
          try {
            if (!item?.range) throw new ApiError(400, "range is required");
            return planWrite(book, item.range, item, request.valueInputOption ?? undefined, caller);
          } catch (error) {
            if (error instanceof ApiError && error.message.startsWith("'valueInputOption'")) {
              throw error;
            }
            if (error instanceof ApiError && !error.message.startsWith("You are trying")) {
              throw new ApiError(error.code, `Invalid data[${i}]: ${error.message}`, error.status);
            }
            throw error;
          }
        });
        applyWrites(plans);
        const responses = plans.map((p) => p.response);
        const sheets = new Set(plans.filter((p) => p.cells.length > 0).map((p) => p.sheet.sheetId));
        const sum = (f: (r: sheets_v4.Schema$UpdateValuesResponse) => number | null | undefined) =>
          responses.reduce((n, r) => n + (f(r) ?? 0), 0);
        return answer({
          spreadsheetId: book.spreadsheetId,
          totalUpdatedRows: sum((r) => r.updatedRows),
          totalUpdatedColumns: sum((r) => r.updatedColumns),
          totalUpdatedCells: sum((r) => r.updatedCells),
          totalUpdatedSheets: sheets.size,
          responses,
        });
      }
      case "batchUpdate": {
        const request = body() as sheets_v4.Schema$BatchUpdateSpreadsheetRequest;
        const replies = batchUpdate(book, request.requests ?? [], caller);
        return answer({
          spreadsheetId: book.spreadsheetId,
          replies,
          ...(request.includeSpreadsheetInResponse
            ? { updatedSpreadsheet: spreadsheetJson(book, caller) }
            : {}),
        });
      }
      default:
        throw new ApiError(404, "Method not found.");
    }
  }

  #book(spreadsheetId: string): SpreadsheetModel {
    const book = this.#books.get(spreadsheetId);
    if (!book) throw new ApiError(404, `No spreadsheet ${spreadsheetId}`);
    return book;
  }

  #sheetId(spreadsheetId: string, title: string): number {
    const sheet = this.#book(spreadsheetId).sheets.find((s) => s.title === title);
    if (!sheet) throw new ApiError(400, `No tab ${title}`);
    return sheet.sheetId;
  }

  // -- admin API ----------------------------------------------------------------------------------

  async #admin(request: Request, url: URL): Promise<Response> {
    const path = url.pathname.slice(ADMIN_PREFIX.length);
    const method = request.method;
    const input = async () => {
      const text = await request.text();
      return text ? JSON.parse(text) : {};
    };
    if (path === "spreadsheets" && method === "POST") {
      return json({ spreadsheetId: this.createSpreadsheet(await input()) });
    }
    if (path === "spreadsheets" && method === "GET") {
      return json({ spreadsheetIds: this.spreadsheetIds() });
    }
    if (path === "service-accounts" && method === "POST") {
      const { clientEmail, publicKeyPem } = await input();
      await this.registerServiceAccount(clientEmail, publicKeyPem);
      return json({ ok: true });
    }
    if (path === "faults" && method === "POST") {
      const { count = 1, ...fault } = await input();
      this.failNext(count, fault);
      return json({ ok: true });
    }
    if (path === "delays" && method === "POST") {
      const { count = 1, ms, kind } = await input();
      this.delayNext(count, ms, kind);
      return json({ ok: true });
    }
    if (path === "counters" && method === "GET") return json(this.counters());
    if (path === "requests" && method === "GET") return json(this.requests);
    if (path === "reset" && method === "POST") {
      this.reset(await input());
      return json({ ok: true });
    }
    if (path === "reset-counters" && method === "POST") {
      this.resetCounters();
      return json({ ok: true });
    }
    if (path === "revoke-tokens" && method === "POST") {
      this.revokeTokens();
      return json({ ok: true });
    }
    const m = /^spreadsheets\/([^/]+)(?:\/(.+))?$/.exec(path);
    if (m) {
      const id = safeDecode(m[1]);
      const action = m[2];
      if (!action && method === "GET") return json(this.spreadsheet(id));
      if (!action && method === "DELETE") {
        this.deleteSpreadsheet(id);
        return json({ ok: true });
      }
      if (action === "values" && method === "GET") {
        const range = url.searchParams.get("range") ?? "";
        const render = renderOptions(url.searchParams);
        return json({ values: this.values(id, range, render) });
      }
      if (action === "values" && method === "POST") {
        const { range, values, valueInputOption } = await input();
        this.setValues(id, range, values, valueInputOption);
        return json({ ok: true });
      }
      if (action === "share" && method === "POST") {
        const { email, role } = await input();
        this.share(id, email, role);
        return json({ ok: true });
      }
      if (action === "unshare" && method === "POST") {
        this.unshare(id, (await input()).email);
        return json({ ok: true });
      }
      if (action === "protect" && method === "POST") {
        const { range, ...options } = await input();
        return json({ protectedRangeId: this.protect(id, range, options) });
      }
      if (action === "batchUpdate" && method === "POST") {
        return json({ replies: this.batchUpdate(id, (await input()).requests ?? []) });
      }
      if (action === "sheets" && method === "POST") {
        return json({ sheetId: this.addSheet(id, await input()) });
      }
    }
    throw new ApiError(404, `Unknown admin route: ${method} ${url.pathname}`);
  }
}

interface Route {
  kind: GoogleRequestKind;
  spreadsheetId?: string;
  op?: "get" | "batchGet" | "update" | "clear" | "valuesBatchUpdate" | "batchUpdate";
  range?: string;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Starts the emulator on 127.0.0.1.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2026, 10, 28));
 * const google = await startGoogleEmulator({ clock });
 * const id = google.createSpreadsheet({ sheets: [{ title: "Сделки" }], sharedWith: [email] });
 * // GOOGLE_SHEETS_API_URL = google.url, GOOGLE_TOKEN_URL = google.tokenUrl
 * await google.close();
 */
export async function startGoogleEmulator(
  options: GoogleEmulatorOptions = {},
): Promise<GoogleEmulator> {
  const clock = options.clock ?? systemClock;
  const holder: { emulator?: GoogleEmulator } = {};
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    onListen: () => {},
  }, (request) => holder.emulator!.handle(request));
  const emulator = holder.emulator = new GoogleEmulator(server, clock, options);
  try {
    const accounts = options.serviceAccounts ?? [await testServiceAccount()];
    for (const account of accounts) {
      await emulator.registerServiceAccount(account.clientEmail, account.publicKeyPem);
    }
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return emulator;
}
