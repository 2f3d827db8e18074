/**
 * Reads Calltouch's deals journal ("Выгрузка журнала сделок"): `GET /calls-service/RestAPI/
 * {siteId}/orders-diary/orders`, paged, by deal date. Documented: the path, the statistics
 * token `clientApiId` (not the deals API key), `dateFrom`/`dateTo` as `dd/mm/yyyy`, `page` and
 * `limit` ≤ 1000. Not documented: the record fields and the page count's name, so the reader
 * takes every form public clients read (`orderStatus`/`status`, `completedAmount`/`revenue`/
 * `sum` and `plannedAmount`, tags as `[{names}]`/`[{tag}]`/strings, `pageTotal`/`totalPage`…).
 *
 * The token travels in the URL (as documented): no message, log or report ever carries the URL.
 */
import * as z from "zod/mini";
import type { Language, LocalDateTime } from "../deal.ts";
import type { Clock } from "../util/clock.ts";
import type { Start } from "../util/rate_gate.ts";
import { UpstreamError } from "../util/errors.ts";
import { NotStarted, request, textOf } from "../util/request.ts";
import { OWN_NAMES, type SettingNames, words } from "../words/mod.ts";
import { CALLTOUCH_REQUEST_TIMEOUT_MS } from "./limiter.ts";
import { nextCalltouchDay, PointsSpent, pointsSpentIn } from "./points.ts";

/** What the journal says of one deal, as far as the sync compares it. */
export interface JournalDeal {
  orderNumber: string;
  status?: string;
  /**
   * `1500.00` form, as the sync sends revenue: the completed sum (`completedAmount`, `revenue`,
   * `sum`), else the planned one.
   */
  revenue?: string;
  /**
   * The planned sum (`plannedAmount`), when the journal gives one: an open deal may show the sum
   * the sync sent here and 0 as its completed sum.
   */
  plannedRevenue?: string;
  /** The deal date, the project's wall clock. */
  orderDate?: LocalDateTime;
  tags: string[];
  /** The `crm` of the request that created it, when the journal says. */
  crm?: string;
  /** What Calltouch matched the deal to (`none` when the record tells no origin). */
  attribution: Attribution;
}

/**
 * A deal's origin: the lead (call, request…) Calltouch matched it to, with its ad's source /
 * medium / campaign (empty when the journal gives none); the `customSources` fallback
 * (CUSTOM_SOURCE; empty parts when the journal names only the type); or nothing.
 */
export type Attribution =
  | { kind: "lead" | "custom"; source: string; medium: string; campaign: string }
  | { kind: "none" };

/** Options of {@linkcode readJournal}. */
export interface JournalOptions {
  /** Calltouch's API base, e.g. `https://api.calltouch.ru` (CALLTOUCH_API_URL). */
  baseUrl: string;
  siteId: string;
  /** CALLTOUCH_STATS_TOKEN. */
  statsToken: string;
  /**
   * The deal dates to read, inclusive, as `YYYY-MM-DD` days of the project's zone (a day either
   * side may be read too, see {@linkcode windows}).
   */
  from: string;
  to: string;
  clock: Clock;
  /** No request starts after this (epoch ms). */
  deadline: number;
  fetch?: typeof fetch;
  /** Takes one request from the run's budget; false: stop. */
  take?: () => boolean;
  /**
   * Waits for a slot of Calltouch's per-IP rate, shared with the deal requests (one limit for the
   * whole API); false: stop.
   */
  pace?: (deadline: number) => Promise<Start | null>;
  /** Language of the errors (`STATUS_LANGUAGE`: they show on the control panel). Default `"ru"`. */
  language?: Language;
  /** How messages name the settings to check (a target's own names). Default: their own. */
  names?: SettingNames;
}

/** Records asked per page: the documented maximum. */
export const JOURNAL_PAGE_SIZE = 1000;
/**
 * Days between one request's `dateFrom` and `dateTo` at most (public clients say three months; a
 * month is safe).
 */
const WINDOW_DAYS = 31;
/** Pages read at most in one window, so a misbehaving answer cannot loop forever. */
const MAX_PAGES = 500;
const DAY_MS = 86_400_000;

const pageSchema = z.object({
  records: z.optional(z.array(z.unknown())),
  pageTotal: z.optional(z.number()),
  totalPage: z.optional(z.number()),
});

/**
 * Every deal the journal holds with a deal date in [from, to], read window by window and page
 * by page.
 *
 * @throws {UpstreamError} when Calltouch refuses the token, answers something that is not the
 * journal, or stays unavailable; or when the budget or the time runs out (`retryable`);
 * {@linkcode PointsSpent} when the project's daily points are spent.
 */
export async function readJournal(options: JournalOptions): Promise<JournalDeal[]> {
  const deals = new Map<string, JournalDeal>();
  for (const [from, to] of windows(options.from, options.to)) {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await readPage(options, from, to, page);
      for (const record of answer.records ?? []) {
        const deal = journalDeal(record);
        if (deal) deals.set(deal.orderNumber, deal);
      }
      const pages = answer.pageTotal ?? answer.totalPage;
      const full = (answer.records?.length ?? 0) >= JOURNAL_PAGE_SIZE;
      if (pages !== undefined ? page >= pages : !full) break;
    }
  }
  return [...deals.values()];
}

/**
 * [from, to] as query windows (`dd/mm/yyyy` pairs) of at most {@linkcode WINDOW_DAYS} days each,
 * every one with `dateFrom` strictly before `dateTo`, as the journal's documentation requires (a
 * one-day range is never sent as `dateFrom == dateTo`, which Calltouch refuses).
 *
 * The days are the project's, and Calltouch does not say whether `dateTo` is inclusive: the range
 * is widened by one day on each side (a deal within hours of midnight still shows when the zone
 * the sheet's dates were converted with is off), and consecutive windows share their boundary day
 * (an exclusive `dateTo` misses nothing). Deals of the extra days are read too: every caller looks
 * deals up by number.
 *
 * @example
 * windows("2026-11-05", "2026-11-05"); // [["04/11/2026", "06/11/2026"]]
 */
export function windows(from: string, to: string): [string, string][] {
  const start = Date.parse(`${from}T00:00:00Z`) - DAY_MS;
  const end = Math.max(Date.parse(`${to}T00:00:00Z`) + DAY_MS, start + DAY_MS);
  const out: [string, string][] = [];
  for (let day = start; day < end; day += WINDOW_DAYS * DAY_MS) {
    out.push([queryDate(day), queryDate(Math.min(end, day + WINDOW_DAYS * DAY_MS))]);
  }
  return out;
}

function queryDate(ms: number): string {
  const [year, month, day] = new Date(ms).toISOString().slice(0, 10).split("-");
  return `${day}/${month}/${year}`;
}

async function readPage(options: JournalOptions, from: string, to: string, page: number) {
  const url = new URL(
    `/calls-service/RestAPI/${encodeURIComponent(options.siteId)}/orders-diary/orders`,
    options.baseUrl,
  );
  url.search = new URLSearchParams({
    clientApiId: options.statsToken,
    dateFrom: from,
    dateTo: to,
    page: String(page),
    limit: String(JOURNAL_PAGE_SIZE),
    withOrdersTags: "true",
  }).toString();
  const t = words(options.language ?? "ru").journal;
  let answer;
  try {
    answer = await request(url, { headers: { Accept: "application/json" } }, {
      upstream: "calltouch",
      // Never the error's own text: it may quote the URL, and so the token (in the query).
      words: t,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      clock: options.clock,
      deadline: options.deadline,
      timeoutMs: JOURNAL_REQUEST_TIMEOUT_MS,
      take: options.take,
      pace: options.pace,
      // A refusal (a 2xx page is read once, below): before its status is judged retryable.
      screen: (answer) => {
        if (answer.status >= 300) spentIn(answer.status, textOf(answer), options);
      },
    });
  } catch (error) {
    if (!(error instanceof NotStarted)) throw error;
    throw new UpstreamError(t.outOfBudget(), {
      upstream: "calltouch",
      retryable: false,
      code: error.why,
    });
  }
  if (answer.status === 401 || answer.status === 403) {
    const names = options.names ?? OWN_NAMES;
    throw new UpstreamError(
      t.token(answer.status, names("CALLTOUCH_STATS_TOKEN"), names("CALLTOUCH_SITE_ID")),
      {
        upstream: "calltouch",
        status: answer.status,
        retryable: false,
        code: "key",
      },
    );
  }
  const ok = answer.status >= 200 && answer.status < 300;
  const parsed = ok ? z.safeParse(pageSchema, parseJson(textOf(answer))) : undefined;
  if (!parsed?.success) {
    if (ok) spentIn(answer.status, textOf(answer), options); // a 200 that says it failed
    throw new UpstreamError(t.notAPage(answer.status), {
      upstream: "calltouch",
      status: answer.status,
      retryable: false,
    });
  }
  return parsed.data;
}

/** Throws {@linkcode PointsSpent} when the answer says the project's daily points are spent. */
function spentIn(status: number, text: string, options: JournalOptions): void {
  if (pointsSpentIn(status, text)) {
    throw new PointsSpent(options.language ?? "ru", nextCalltouchDay(options.clock.now()), status);
  }
}

/**
 * One page read is abandoned (and counted as a network error) after this long: as long as a
 * deals request, which the Calltouch limiter holds a start for.
 */
export const JOURNAL_REQUEST_TIMEOUT_MS = CALLTOUCH_REQUEST_TIMEOUT_MS;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Json = Record<string, unknown>;

/** One record, whatever its form; undefined without an order number. */
export function journalDeal(record: unknown): JournalDeal | undefined {
  if (typeof record !== "object" || record === null) return undefined;
  const r = record as Json;
  const orderNumber = text(r.orderNumber);
  if (!orderNumber) return undefined;
  const deal: JournalDeal = { orderNumber, tags: tagsOf(r.tags), attribution: attributionOf(r) };
  const status = text(r.orderStatus) ?? text(r.status) ?? text((r.status as Json)?.name);
  if (status) deal.status = status;
  const revenue = money(r.completedAmount ?? r.revenue ?? r.sum ?? r.plannedAmount);
  if (revenue !== undefined) deal.revenue = revenue;
  const planned = money(r.plannedAmount ?? r.plannedRevenue ?? r.plannedSum);
  if (planned !== undefined) deal.plannedRevenue = planned;
  const orderDate = dateOf(r.orderDate ?? r.date);
  if (orderDate) deal.orderDate = orderDate;
  const crm = text(r.crm);
  if (crm) deal.crm = crm;
  return deal;
}

/** `orderSource.type` / `leadType` values that say Calltouch matched the deal to nothing. */
const NO_ORIGIN = /^(none|null|no_?source|without_?source|no_?lead)$/;

/**
 * The origin, from `visit` + `orderSource` or flat `source`/`medium`/`campaign` + `leadType`. A
 * record that tells no origin at all (neither; empty objects; nulls; a `none` type: how the journal
 * shows a deal without a lead is not documented) is `none`: every deal the journal shows has one.
 * A custom type without UTM values is the custom source, named by the caller; a lead without them
 * keeps empty parts.
 */
function attributionOf(r: Json): Attribution {
  const visit = (typeof r.visit === "object" && r.visit !== null ? r.visit : {}) as Json;
  const orderSource =
    (typeof r.orderSource === "object" && r.orderSource !== null ? r.orderSource : {}) as Json;
  const type = (text(orderSource.type) ?? text(r.leadType) ?? "").toLowerCase();
  const source = text(visit.utmSource) ?? text(r.source) ?? text(r.utmSource);
  const medium = text(visit.utmMedium) ?? text(r.medium) ?? text(r.utmMedium);
  const campaign = text(visit.utmCampaign) ?? text(r.campaign) ?? text(r.utmCampaign);
  if (NO_ORIGIN.test(type)) return { kind: "none" };
  const custom = type.startsWith("custom");
  if (source === undefined && medium === undefined && campaign === undefined && !custom) {
    return type === "" ? { kind: "none" } : { kind: "lead", source: "", medium: "", campaign: "" };
  }
  return {
    kind: custom ? "custom" : "lead",
    source: source ?? "",
    medium: medium ?? "",
    campaign: campaign ?? "",
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function money(value: unknown): string | undefined {
  const number = typeof value === "number"
    ? value
    : typeof value === "string" && value.trim() !== ""
    ? Number(value.replace(/\s/g, "").replace(",", "."))
    : NaN;
  return Number.isFinite(number) ? number.toFixed(2) : undefined;
}

function tagsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((tag): string[] => {
    if (typeof tag === "string") return [tag];
    if (typeof tag !== "object" || tag === null) return [];
    const t = tag as Json;
    if (Array.isArray(t.names)) return t.names.filter((n): n is string => typeof n === "string");
    const one = text(t.tag) ?? text(t.name);
    return one ? [one] : [];
  });
}

const DMY = /^(\d{2})[-./](\d{2})[-./](\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/;
const YMD = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/** `dd-MM-yyyy HH:mm:ss`, `dd.MM.yyyy`, `dd/MM/yyyy`, ISO: the wall clock as given. */
function dateOf(value: unknown): LocalDateTime | undefined {
  if (typeof value !== "string") return undefined;
  const dmy = DMY.exec(value);
  const ymd = dmy ? undefined : YMD.exec(value);
  if (!dmy && !ymd) return undefined;
  const [day, month, year] = dmy ? [dmy[1], dmy[2], dmy[3]] : [ymd![3], ymd![2], ymd![1]];
  const m = (dmy ?? ymd)!;
  return `${year}-${month}-${day}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}`;
}
