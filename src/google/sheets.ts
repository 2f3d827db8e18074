/**
 * The Google Sheets client of the sync: spreadsheet metadata, whole-tab and one-column reads,
 * status-cell writes in one request, and structural batch updates, over `fetch`. Remote refusals
 * become {@linkcode UpstreamError}s that tell the clinic administrator what to do.
 *
 * @see https://developers.google.com/workspace/sheets/api/reference/rest
 */
import type { RateLimiter } from "../util/rate_gate.ts";
import type { sheets_v4 } from "@googleapis/sheets";
import * as z from "zod/mini";
import type { CellValue, Language } from "../deal.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import type { TakeRequest } from "../util/budget.ts";
import { UpstreamError } from "../util/errors.ts";
import type { RetryOptions } from "../util/retry.ts";
import { type Answered, NotStarted, request } from "../util/request.ts";
import { a1Column, a1ColumnSpan, a1Tab, MAX_COLUMN } from "../sheet/a1.ts";
import type { TokenProvider } from "./auth.ts";
import { quoted, tryJson } from "./http.ts";
import { OWN_NAMES, type SettingNames, words } from "../words/mod.ts";
import { GOOGLE_READS_PER_MINUTE } from "../schedule.ts";

/**
 * Time budget of one client call (retries included) when no `deadline` is given: room for one
 * wait for the per-minute quota to refill ({@linkcode QUOTA_REFILL_MS}).
 */
export const DEFAULT_CALL_BUDGET_MS = 90_000;
/** Time limit of one HTTP request (Google itself gives up after 180 s). */
export const REQUEST_TIMEOUT_MS = 60_000;
/** Attempts per call, the first included (Google: truncated exponential backoff). */
export const MAX_ATTEMPTS = 6;
/** First backoff delay; it doubles per retry up to {@linkcode MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 1_000;
/** Cap of one backoff delay (Google recommends 32–64 s). */
export const MAX_BACKOFF_MS = 32_000;
/** Random jitter added to each delay (Google: up to 1 s). */
export const BACKOFF_JITTER_MS = 1_000;
/**
 * How long a 429 (a per-minute quota spent) waits when Google gives no Retry-After: the quota
 * refills each minute, and a full minute later every request it counted has left any window.
 * Retrying sooner only spends more of it (and of the run's request budget).
 */
export const QUOTA_REFILL_MS = 60_000;

/**
 * The `fields` mask of {@linkcode SheetsClient.metadata}: spreadsheet title, locale and time zone;
 * per tab its id, title, position, grid size, frozen rows and conditional formats.
 */
export const METADATA_FIELDS = "properties(title,locale,timeZone)," +
  "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount,frozenRowCount))," +
  "conditionalFormats)";

/** One tab of the spreadsheet, as {@linkcode SheetsClient.metadata} reports it. */
export interface SheetInfo {
  /** Stable id of the tab (survives renames); 0 for the first tab of a new spreadsheet. */
  sheetId: number;
  title: string;
  /** 0-based position among the tabs. */
  index: number;
  /** Grid size: rows and columns that exist, filled or not. */
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  /** The tab's conditional format rules, in order (for an idempotent sheet setup). */
  conditionalFormats: sheets_v4.Schema$ConditionalFormatRule[];
}

/**
 * The tab holding the deals: the one titled `sheetName`, or the first tab (lowest index) when
 * no name is configured. Undefined when there is no such tab.
 *
 * @example
 * const tab = findDealsTab(info.sheets, config.sheetName)?.title;
 */
export function findDealsTab<T extends { title: string; index: number }>(
  sheets: readonly T[],
  sheetName?: string,
): T | undefined {
  if (sheetName !== undefined) return sheets.find((sheet) => sheet.title === sheetName);
  let first: T | undefined;
  for (const sheet of sheets) if (!first || sheet.index < first.index) first = sheet;
  return first;
}

/** What {@linkcode SheetsClient.metadata} returns. */
export interface SpreadsheetInfo {
  title: string;
  /** CLDR time zone of the spreadsheet (`Europe/Moscow`); date cells are wall-clock time there. */
  timeZone: string;
  /** `ru_RU`, `en_US`, … */
  locale: string;
  sheets: SheetInfo[];
}

/** One cell to write; `row` and `column` are 1-based. */
export interface CellWrite {
  row: number;
  column: number;
  /** Written as is (`RAW`): never parsed as a number, date or formula. */
  value: string;
}

/** HTTP requests sent to the Sheets API by one client, retries included (quota units). */
export interface SheetsRequestCounts {
  /** `spreadsheets.get` (tab titles, time zone). */
  metadata: number;
  /** `values.get` (the tab, a column). */
  reads: number;
  /** `values:batchUpdate` and `spreadsheets:batchUpdate`. */
  writes: number;
}

/** Options of {@linkcode SheetsClient}. */
export interface SheetsClientOptions {
  /** API root without the version (the GOOGLE_SHEETS_API_URL setting). */
  baseUrl: string;
  /** The bare spreadsheet id. */
  spreadsheetId: string;
  /** Supplies bearer tokens; invalidated and asked again once after a 401. */
  auth: TokenProvider;
  /** The service account's e-mail, named in the "share the spreadsheet" message. */
  serviceAccountEmail: string;
  /** Language of error messages. Default "ru". */
  language?: Language;
  /** How messages name the settings to check (a target's own names). Default: their own. */
  names?: SettingNames;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * Epoch ms (on `clock`) after which no request or retry starts and a running request is
   * aborted. Default: each call gets {@linkcode DEFAULT_CALL_BUDGET_MS}.
   */
  deadline?: number;
  /** Time limit of one HTTP request. Default {@linkcode REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  /** Asked before every request (retries included): false stops the run. Default: no cap. */
  take?: TakeRequest;
  /**
   * Asked for a start before every read request (metadata and values, retries included), so the
   * reads of a whole deployment stay within the service account's per-minute quota (see
   * `schedule.ts`). Resolves null when no start comes before the deadline. Default: none.
   */
  readGate?: RateLimiter;
  /** The service account's reads a minute (`GOOGLE_READS_PER_MINUTE`), for the words. */
  readsPerMinute?: number;
  /** Backoff tuning; defaults are the named constants above. */
  retry?: Pick<RetryOptions, "maxAttempts" | "baseDelayMs" | "maxDelayMs" | "jitterMs" | "random">;
}

type Bucket = keyof SheetsRequestCounts;

interface CallOptions {
  bucket: Bucket;
  method: "GET" | "POST";
  /** Path after `/v4/spreadsheets/{id}`, already encoded. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Tab concerned, for messages. */
  title?: string;
  /** Whether a network error or timeout may be retried (the request may have been applied). */
  idempotent: boolean;
  /** Return a successful answer's body as bytes, undecoded (see {@linkcode TabAnswer}). */
  raw?: boolean;
}

const UTF8 = new TextDecoder();

const googleErrorSchema = z.object({
  error: z.object({
    code: z.optional(z.number()),
    message: z.optional(z.string()),
    status: z.optional(z.string()),
    details: z.optional(z.array(z.unknown())),
  }),
});

const errorInfoSchema = z.object({ reason: z.string() });

const metadataSchema = z.object({
  properties: z.optional(z.object({
    title: z.optional(z.string()),
    locale: z.optional(z.string()),
    timeZone: z.optional(z.string()),
  })),
  sheets: z.optional(z.array(z.object({
    properties: z.optional(z.object({
      sheetId: z.optional(z.number()),
      title: z.optional(z.string()),
      index: z.optional(z.number()),
      gridProperties: z.optional(z.object({
        rowCount: z.optional(z.number()),
        columnCount: z.optional(z.number()),
        frozenRowCount: z.optional(z.number()),
      })),
    })),
    conditionalFormats: z.optional(z.array(z.record(z.string(), z.unknown()))),
  }))),
});

/** Marks the 400 "exceeds grid limits" so `writeCells` can grow the grid and try again. */
class GridLimitsError extends UpstreamError {}

/** Percent-encodes a path segment fully, including the `!'()*` that encodeURIComponent keeps. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function isCell(value: unknown): value is CellValue {
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean";
}

/** A `values.get` answer of a whole tab, see {@linkcode SheetsClient.readTabAnswer}. */
export interface TabAnswer {
  /** The answer's body as received. */
  bytes: Uint8Array<ArrayBuffer>;
  /**
   * Decodes the body: rows of cells as {@linkcode SheetsClient.readTab} returns them.
   * @throws {UpstreamError} when the body is not a values answer
   */
  values(): CellValue[][];
}

/** Validates a `values` array of a ValueRange: rows of primitive cells; absent means empty. */
function cellRows(values: unknown): CellValue[][] | undefined {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) return undefined;
  for (const row of values) {
    if (!Array.isArray(row)) return undefined;
    for (let i = 0; i < row.length; i++) {
      if (!isCell(row[i])) {
        if (row[i] !== null) return undefined;
        row[i] = "";
      }
    }
  }
  return values as CellValue[][];
}

/**
 * A client of one spreadsheet.
 *
 * Every call retries 429, 5xx and network errors with truncated exponential backoff inside the
 * deadline, and answers a 401 by invalidating the token and retrying once with a new one.
 * Reading or writing a tab first checks its title against the metadata (fetched once and
 * cached per client), so a missing tab is reported by name with the tabs that exist.
 *
 * @example
 * const sheets = new SheetsClient({
 *   baseUrl: config.google.sheetsApiUrl,
 *   spreadsheetId: config.spreadsheetId,
 *   auth,
 *   serviceAccountEmail: config.google.serviceAccount.clientEmail,
 *   deadline: startedAt + config.timeBudgetMs,
 * });
 * const { timeZone, sheets: tabs } = await sheets.metadata();
 * const rows = await sheets.readTab(tabs[0].title);
 */
export class SheetsClient {
  readonly #baseUrl: string;
  readonly #spreadsheetId: string;
  readonly #auth: TokenProvider;
  readonly #email: string;
  readonly #language: Language;
  readonly #names: SettingNames;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #deadline: number | undefined;
  readonly #requestTimeoutMs: number;
  readonly #retry: NonNullable<SheetsClientOptions["retry"]>;
  readonly #counts: SheetsRequestCounts = { metadata: 0, reads: 0, writes: 0 };
  readonly #take: TakeRequest;
  readonly #readGate: SheetsClientOptions["readGate"];
  readonly #readsPerMinute: number;
  #metadata: SpreadsheetInfo | undefined;

  constructor(options: SheetsClientOptions) {
    if (!URL.canParse(options.baseUrl)) throw new TypeError("baseUrl must be an absolute URL");
    if (!options.spreadsheetId) throw new TypeError("spreadsheetId is required");
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#spreadsheetId = options.spreadsheetId;
    this.#auth = options.auth;
    this.#email = options.serviceAccountEmail;
    this.#language = options.language ?? "ru";
    this.#names = options.names ?? OWN_NAMES;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    this.#deadline = options.deadline;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.#retry = {
      maxAttempts: MAX_ATTEMPTS,
      baseDelayMs: BASE_BACKOFF_MS,
      maxDelayMs: MAX_BACKOFF_MS,
      jitterMs: BACKOFF_JITTER_MS,
      ...options.retry,
    };
    this.#take = options.take ?? (() => true);
    this.#readGate = options.readGate;
    this.#readsPerMinute = options.readsPerMinute ?? GOOGLE_READS_PER_MINUTE;
  }

  /** Requests sent so far, by quota bucket (a copy). */
  get requests(): SheetsRequestCounts {
    return { ...this.#counts };
  }

  /**
   * Reads the spreadsheet's title, time zone, locale and tabs with one `spreadsheets.get`
   * ({@linkcode METADATA_FIELDS}), and caches the answer for the tab checks of later calls.
   *
   * @throws {UpstreamError} 403 (not shared: names the service account), 404 (wrong id), …
   */
  async metadata(): Promise<SpreadsheetInfo> {
    const body = await this.#call({
      bucket: "metadata",
      method: "GET",
      path: "",
      query: { fields: METADATA_FIELDS },
      idempotent: true,
    });
    const parsed = z.safeParse(metadataSchema, body);
    if (!parsed.success) throw this.#malformed("metadata");
    const { properties, sheets = [] } = parsed.data;
    const info: SpreadsheetInfo = {
      title: properties?.title ?? "",
      timeZone: properties?.timeZone ?? "UTC",
      locale: properties?.locale ?? "",
      // Google leaves out fields at their default value (0, empty), hence the fallbacks.
      sheets: sheets.map((sheet, position) => ({
        sheetId: sheet.properties?.sheetId ?? 0,
        title: sheet.properties?.title ?? "",
        index: sheet.properties?.index ?? position,
        rowCount: sheet.properties?.gridProperties?.rowCount ?? 0,
        columnCount: sheet.properties?.gridProperties?.columnCount ?? 0,
        frozenRowCount: sheet.properties?.gridProperties?.frozenRowCount ?? 0,
        conditionalFormats:
          (sheet.conditionalFormats ?? []) as sheets_v4.Schema$ConditionalFormatRule[],
      })),
    };
    this.#metadata = info;
    return info;
  }

  /**
   * Reads every cell of a tab with one `values.get` (`UNFORMATTED_VALUE`, dates as serial
   * numbers). Rows are ragged (trailing empty cells are left out) and trailing empty rows are
   * dropped; index i is sheet row i+1. An empty tab gives `[]`.
   *
   * @throws {UpstreamError} when the tab does not exist (the message lists the tabs that do).
   */
  async readTab(title: string): Promise<CellValue[][]> {
    return (await this.readTabAnswer(title)).values();
  }

  /**
   * {@linkcode readTab}, undecoded: the answer's bytes, and `values()` to decode them. A caller
   * that only needs to know whether the tab changed since it last read it can hash the bytes
   * and skip decoding (the UTF-8 decoding and JSON parsing of a tab cost more than the rest of
   * an unchanged run).
   */
  async readTabAnswer(title: string): Promise<TabAnswer> {
    await this.#requireTab(title);
    const bytes = await this.#call({
      bucket: "reads",
      method: "GET",
      path: `/values/${encodeSegment(a1Tab(title))}`,
      query: {
        majorDimension: "ROWS",
        valueRenderOption: "UNFORMATTED_VALUE",
        dateTimeRenderOption: "SERIAL_NUMBER",
      },
      title,
      idempotent: true,
      raw: true,
    }) as Uint8Array<ArrayBuffer>;
    return {
      bytes,
      values: () => {
        const body = tryJson(UTF8.decode(bytes)) as sheets_v4.Schema$ValueRange | undefined;
        if (typeof body !== "object" || body === null) throw this.#malformed("notJson");
        const rows = cellRows(body.values);
        if (!rows) throw this.#malformed("values");
        return rows;
      },
    };
  }

  /**
   * Reads one column (1-based) of a tab with one `values.get`: index i is sheet row i+1, empty
   * cells are `""`, trailing empty cells are left out.
   */
  async readColumn(title: string, column: number): Promise<CellValue[]> {
    const range = a1Column(title, column);
    await this.#requireTab(title);
    const body = await this.#call({
      bucket: "reads",
      method: "GET",
      path: `/values/${encodeSegment(range)}`,
      query: {
        majorDimension: "COLUMNS",
        valueRenderOption: "UNFORMATTED_VALUE",
        dateTimeRenderOption: "SERIAL_NUMBER",
      },
      title,
      idempotent: true,
    });
    const columns = cellRows((body as sheets_v4.Schema$ValueRange | undefined)?.values);
    if (!columns) throw this.#malformed("values");
    return columns[0] ?? [];
  }

  /**
   * Writes text cells of one tab with ONE `values:batchUpdate` (`RAW`: text stays text), merging
   * runs of adjacent rows of a column into one range. No request at all for zero cells.
   *
   * When a cell lies beyond the tab's grid (a new status column right of the last column), the
   * grid is first grown with one `appendDimension` (`spreadsheets:batchUpdate`), and only then.
   * If the grid shrank since the metadata was read, the metadata is read again and the write is
   * tried once more.
   *
   * @returns the number of cells Google reports as updated.
   * @throws {RangeError} for a row/column that is not a positive integer or a cell given twice.
   * @throws {UpstreamError} e.g. protected cells, missing tab, not shared.
   */
  async writeCells(title: string, cells: readonly CellWrite[]): Promise<number> {
    if (cells.length === 0) return 0;
    const data = valueRanges(title, cells);
    let maxRow = 0;
    let maxColumn = 0;
    for (const cell of cells) {
      maxRow = Math.max(maxRow, cell.row);
      maxColumn = Math.max(maxColumn, cell.column);
    }
    for (let attempt = 1;; attempt++) {
      const sheet = await this.#requireTab(title);
      await this.#growGrid(sheet, maxRow, maxColumn);
      try {
        const body = await this.#call({
          bucket: "writes",
          method: "POST",
          path: "/values:batchUpdate",
          body: {
            valueInputOption: "RAW",
            data,
          } satisfies sheets_v4.Schema$BatchUpdateValuesRequest,
          title,
          idempotent: true,
        });
        const updated = (body as sheets_v4.Schema$BatchUpdateValuesResponse | undefined)
          ?.totalUpdatedCells;
        return typeof updated === "number" ? updated : cells.length;
      } catch (error) {
        if (!(error instanceof GridLimitsError) || attempt > 1) throw error;
        this.#metadata = undefined;
      }
    }
  }

  /**
   * Sends structural requests (formats, frozen rows, dimensions…) in one
   * `spreadsheets:batchUpdate`; Google applies all of them or none. Returns one reply per
   * request (`{}` for requests without a reply). No request for an empty list.
   *
   * Such requests are not idempotent: only 429 and 503 answers (nothing applied) are retried,
   * never a network error or timeout.
   */
  async batchUpdate(
    requests: readonly sheets_v4.Schema$Request[],
  ): Promise<sheets_v4.Schema$Response[]> {
    if (requests.length === 0) return [];
    const replies = await this.#structural(requests);
    // The grid, titles or rules may have changed: read the metadata again when next needed.
    this.#metadata = undefined;
    return replies;
  }

  async #structural(
    requests: readonly sheets_v4.Schema$Request[],
  ): Promise<sheets_v4.Schema$Response[]> {
    const body = await this.#call({
      bucket: "writes",
      method: "POST",
      path: ":batchUpdate",
      body: { requests: [...requests] } satisfies sheets_v4.Schema$BatchUpdateSpreadsheetRequest,
      idempotent: false,
    });
    const replies = (body as sheets_v4.Schema$BatchUpdateSpreadsheetResponse | undefined)?.replies;
    return requests.map((_, i) => (Array.isArray(replies) && replies[i]) || {});
  }

  /** Appends the rows and columns that `maxRow`/`maxColumn` need, in one request, if any. */
  async #growGrid(sheet: SheetInfo, maxRow: number, maxColumn: number): Promise<void> {
    const requests: sheets_v4.Schema$Request[] = [];
    for (
      const [dimension, length] of [
        ["ROWS", maxRow - sheet.rowCount],
        ["COLUMNS", maxColumn - sheet.columnCount],
      ] as const
    ) {
      if (length > 0) {
        requests.push({ appendDimension: { sheetId: sheet.sheetId, dimension, length } });
      }
    }
    if (requests.length === 0) return;
    await this.#structural(requests);
    sheet.rowCount = Math.max(sheet.rowCount, maxRow);
    sheet.columnCount = Math.max(sheet.columnCount, maxColumn);
  }

  /** The tab's metadata; reads the metadata (again, if the cached copy lacks it) when needed. */
  async #requireTab(title: string): Promise<SheetInfo> {
    const hadCache = this.#metadata !== undefined;
    let info = this.#metadata ?? await this.metadata();
    let sheet = info.sheets.find((s) => s.title === title);
    if (!sheet && hadCache) {
      info = await this.metadata();
      sheet = info.sheets.find((s) => s.title === title);
    }
    if (!sheet) {
      throw new UpstreamError(
        words(this.#language).google.tabMissing(
          title,
          info.sheets.map((s) => s.title),
          this.#names("SHEET_NAME"),
        ),
        { upstream: "google", status: 400, retryable: false },
      );
    }
    return sheet;
  }

  /**
   * One API call: the token, the request (the one request function: time limit, budget, retries
   * with backoff), one re-mint on 401, the answer read or its refusal put in words.
   */
  async #call(call: CallOptions): Promise<unknown> {
    const deadline = this.#deadline ?? this.#clock.now() + DEFAULT_CALL_BUDGET_MS;
    if (this.#clock.now() >= deadline) {
      const message = words(this.#language).google.timeout();
      throw new UpstreamError(message, { upstream: "google", retryable: true, code: "timeout" });
    }
    let token = await this.#auth.token();
    let answer = await this.#send(call, token, deadline);
    if (answer.status === 401) {
      this.#auth.invalidate(token);
      token = await this.#auth.token();
      answer = await this.#send(call, token, deadline);
    }
    const ok = answer.status >= 200 && answer.status < 300;
    if (call.raw && ok) return answer.body;
    const body = tryJson(UTF8.decode(answer.body));
    if (!ok) throw this.#refusal(answer, body, call.title);
    if (body === undefined) throw this.#malformed("notJson");
    return body;
  }

  /** Sends one call (its retries included) through the one request function. */
  async #send(call: CallOptions, token: string, deadline: number): Promise<Answered> {
    const t = words(this.#language).google;
    const query = call.query ? `?${new URLSearchParams(call.query)}` : "";
    const url = `${this.#baseUrl}/v4/spreadsheets/${encodeSegment(this.#spreadsheetId)}` +
      `${call.path}${query}`;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (call.body !== undefined) headers["content-type"] = "application/json";
    // The deployment's reads of this minute given out until after the deadline (see schedule.ts).
    let gateClosed = false;
    const gate = call.bucket === "writes" ? undefined : this.#readGate;
    try {
      return await request(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      }, {
        upstream: "google",
        words: {
          network: t.network,
          timeout: t.timeout,
          status: (status) =>
            status === 429 ? t.quota(this.#readsPerMinute) : t.unavailable(status),
        },
        fetch: this.#fetch,
        clock: this.#clock,
        deadline,
        timeoutMs: this.#requestTimeoutMs,
        take: this.#take,
        pace: gate &&
          (async (until) => {
            const start = await gate.acquire(until);
            gateClosed = start === null;
            return start;
          }),
        // A per-minute quota spent: retrying before it refills would only spend more of it.
        retryAfterMs: (status) => status === 429 ? QUOTA_REFILL_MS : undefined,
        maxAttempts: this.#retry.maxAttempts,
        backoff: this.#retry,
        // A write that may have been applied is tried again only when Google says it was not.
        retryable: (error) => call.idempotent || error.status === 429 || error.status === 503,
        onAttempt: () => this.#counts[call.bucket]++,
      });
    } catch (error) {
      if (!(error instanceof NotStarted)) throw error;
      if (gateClosed) {
        throw new UpstreamError(t.quota(this.#readsPerMinute), {
          upstream: "google",
          status: 429,
          retryable: false,
        });
      }
      throw error.why === "budget"
        ? new UpstreamError(t.budget(), { upstream: "google", retryable: false, code: "budget" })
        : new UpstreamError(t.timeout(), { upstream: "google", retryable: true, code: "timeout" });
    }
  }

  /** Turns a Sheets API error answer into a message the clinic administrator can act on. */
  #refusal(response: Answered, body: unknown, title: string | undefined): UpstreamError {
    const t = words(this.#language).google;
    const status = response.status;
    const parsed = z.safeParse(googleErrorSchema, body);
    const error = parsed.success ? parsed.data.error : undefined;
    const googleMessage = error?.message ?? "";
    const googleStatus = error?.status ?? "";
    const reasons = (error?.details ?? []).flatMap((d) => {
      const info = z.safeParse(errorInfoSchema, d);
      return info.success ? [info.data.reason] : [];
    });
    const options = { upstream: "google" as const, status, retryable: false };

    if (status === 401) {
      return new UpstreamError(
        t.unauthenticated(this.#email, this.#names("GOOGLE_SERVICE_ACCOUNT")),
        options,
      );
    }
    if (status === 403) {
      if (
        reasons.includes("SERVICE_DISABLED") || /has not been used|is disabled/i.test(googleMessage)
      ) {
        return new UpstreamError(t.apiDisabled(), options);
      }
      if (
        reasons.includes("ACCESS_TOKEN_SCOPE_INSUFFICIENT") ||
        /insufficient.*scope/i.test(googleMessage)
      ) {
        return new UpstreamError(t.insufficientScope(), options);
      }
      return new UpstreamError(t.notShared(this.#email), options);
    }
    if (status === 404) {
      return new UpstreamError(
        t.notFound(this.#spreadsheetId, this.#names("SPREADSHEET_ID")),
        options,
      );
    }
    // 408, 429 and 5xx never get here: `request()` retries them and throws with their words.
    if (status === 400 && title !== undefined) {
      if (/protected cell/i.test(googleMessage)) {
        return new UpstreamError(t.protectedCells(title, this.#email), options);
      }
      if (/unable to parse range/i.test(googleMessage)) {
        const tabs = this.#metadata?.sheets.map((s) => s.title) ?? [];
        // The tab vanished since the metadata was read: it must be read again next time.
        this.#metadata = undefined;
        return new UpstreamError(
          t.tabMissing(title, tabs.filter((s) => s !== title), this.#names("SHEET_NAME")),
          options,
        );
      }
      if (/exceeds grid limits/i.test(googleMessage)) {
        return new GridLimitsError(t.gridLimits(title, quoted(googleMessage)), options);
      }
    }
    return new UpstreamError(t.refused(status, googleStatus, quoted(googleMessage)), options);
  }

  #malformed(what: "metadata" | "notJson" | "values"): UpstreamError {
    return new UpstreamError(words(this.#language).google.malformed(what), {
      upstream: "google",
      retryable: false,
    });
  }
}

/** Groups cells by column and merges runs of adjacent rows into one ValueRange each. */
function valueRanges(title: string, cells: readonly CellWrite[]): sheets_v4.Schema$ValueRange[] {
  for (const cell of cells) {
    if (!Number.isInteger(cell.row) || cell.row < 1) {
      throw new RangeError(`row must be a positive integer, got ${cell.row}`);
    }
    if (!Number.isInteger(cell.column) || cell.column < 1 || cell.column > MAX_COLUMN) {
      throw new RangeError(`column must be an integer in 1..${MAX_COLUMN}, got ${cell.column}`);
    }
    if (typeof cell.value !== "string") throw new TypeError("cell values must be strings");
  }
  const sorted = [...cells].sort((a, b) => a.column - b.column || a.row - b.row);
  const data: sheets_v4.Schema$ValueRange[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    const previous = sorted[i - 1];
    const cell = sorted[i];
    if (cell && cell.column === previous.column && cell.row === previous.row) {
      throw new RangeError(`cell row ${cell.row}, column ${cell.column} is given twice`);
    }
    if (cell && cell.column === previous.column && cell.row === previous.row + 1) continue;
    const run = sorted.slice(start, i);
    data.push({
      range: a1ColumnSpan(title, run[0].column, run[0].row, run[run.length - 1].row),
      majorDimension: "ROWS",
      values: run.map((c) => [c.value]),
    });
    start = i;
  }
  return data;
}
