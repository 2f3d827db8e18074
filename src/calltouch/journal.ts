/**
 * Reads Calltouch's deals journal ("Выгрузка журнала сделок"): `GET /calls-service/RestAPI/
 * {siteId}/orders-diary/orders`, paged, by deal date. Documented: the path, the statistics
 * token `clientApiId` (not the deals API key), `dateFrom`/`dateTo` as `dd/mm/yyyy`, `page` and
 * `limit` ≤ 1000. Not documented: the record fields and the page count's name, so the reader
 * takes every form public clients read (`orderStatus`/`status`, `completedAmount`/`revenue`/
 * `sum`, tags as `[{names}]`/`[{tag}]`/strings, `pageTotal`/`totalPage`…).
 *
 * The token travels in the URL (as documented): no message, log or report ever carries the URL.
 */
import * as z from "zod/mini";
import type { LocalDateTime } from "../deal.ts";
import type { Clock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { retry } from "../util/retry.ts";
import { type RateLimiter, sharedCalltouchLimiter } from "./limiter.ts";
import { nextCalltouchDay, PointsSpent, pointsSpentIn } from "./points.ts";

/** What the journal says of one deal, as far as the sync compares it. */
export interface JournalDeal {
  orderNumber: string;
  status?: string;
  /** `1500.00` form, as the sync sends revenue. */
  revenue?: string;
  /** The deal date, the project's wall clock. */
  orderDate?: LocalDateTime;
  tags: string[];
  /** The `crm` of the request that created it, when the journal says. */
  crm?: string;
  /** What Calltouch matched the deal to, when the journal says. */
  attribution?: Attribution;
}

/**
 * A deal's origin: the lead (call, request…) Calltouch matched it to, with its ad's source /
 * medium / campaign; the `customSources` fallback (CUSTOM_SOURCE) when it found none; or nothing.
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
  /** The deal dates to read, inclusive, as `YYYY-MM-DD` days of the project's zone. */
  from: string;
  to: string;
  clock: Clock;
  /** No request starts after this (epoch ms). */
  deadline: number;
  fetch?: typeof fetch;
  /** Takes one request from the run's budget; false: stop. */
  take?: () => boolean;
  /**
   * Paces every page request within Calltouch's per-IP limit, shared with the deal requests
   * (one limit for the whole API). Default: {@linkcode sharedCalltouchLimiter} of `clock`.
   */
  limiter?: RateLimiter;
}

/** Records asked per page: the documented maximum. */
export const JOURNAL_PAGE_SIZE = 1000;
/** Days one request spans at most (public clients say three months; a month is safe). */
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

/** [from, to] cut into windows of at most {@linkcode WINDOW_DAYS}, as `dd/mm/yyyy` pairs. */
export function windows(from: string, to: string): [string, string][] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const out: [string, string][] = [];
  for (let day = start; day <= end; day += WINDOW_DAYS * DAY_MS) {
    out.push([queryDate(day), queryDate(Math.min(end, day + (WINDOW_DAYS - 1) * DAY_MS))]);
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
  const fetcher = options.fetch ?? fetch;
  const limiter = options.limiter ?? sharedCalltouchLimiter(options.clock);
  return await retry(async () => {
    if (
      !(await limiter.acquire(options.deadline)) || (options.take && !options.take())
    ) {
      throw new UpstreamError("The run's time or request budget ran out reading the journal.", {
        upstream: "calltouch",
        retryable: false,
      });
    }
    let response: Response;
    try {
      response = await fetcher(url, { headers: { Accept: "application/json" } });
    } catch (error) {
      // Never the error's text: it may quote the URL, and so the token.
      throw new UpstreamError("Calltouch's deals journal could not be reached.", {
        upstream: "calltouch",
        retryable: true,
        cause: (error as Error)?.name,
      });
    }
    const text = await response.text();
    if (pointsSpentIn(response.status, text)) {
      throw new PointsSpent("en", nextCalltouchDay(options.clock.now()), response.status);
    }
    if (response.status === 401 || response.status === 403) {
      throw new UpstreamError(
        `Calltouch refused the statistics token (HTTP ${response.status}): check ` +
          "CALLTOUCH_STATS_TOKEN (Calltouch → Интеграции → API) and CALLTOUCH_SITE_ID.",
        { upstream: "calltouch", status: response.status, retryable: false },
      );
    }
    if (response.status === 429 || response.status >= 500) {
      throw new UpstreamError(`Calltouch's deals journal answered HTTP ${response.status}.`, {
        upstream: "calltouch",
        status: response.status,
        retryable: true,
      });
    }
    const parsed = response.ok ? z.safeParse(pageSchema, parseJson(text)) : undefined;
    if (!parsed?.success) {
      throw new UpstreamError(
        `Calltouch's deals journal answered HTTP ${response.status} without a page of deals.`,
        { upstream: "calltouch", status: response.status, retryable: false },
      );
    }
    return parsed.data;
  }, { clock: options.clock, deadline: options.deadline });
}

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
  const deal: JournalDeal = { orderNumber, tags: tagsOf(r.tags) };
  const status = text(r.orderStatus) ?? text(r.status) ?? text((r.status as Json)?.name);
  if (status) deal.status = status;
  const revenue = money(r.completedAmount ?? r.revenue ?? r.sum ?? r.plannedAmount);
  if (revenue !== undefined) deal.revenue = revenue;
  const orderDate = dateOf(r.orderDate ?? r.date);
  if (orderDate) deal.orderDate = orderDate;
  const crm = text(r.crm);
  if (crm) deal.crm = crm;
  const attribution = attributionOf(r);
  if (attribution) deal.attribution = attribution;
  return deal;
}

/** The origin, from `visit` + `orderSource` or flat `source`/`medium`/`campaign` + `leadType`. */
function attributionOf(r: Json): Attribution | undefined {
  const visit = (typeof r.visit === "object" && r.visit !== null ? r.visit : {}) as Json;
  const type = (text((r.orderSource as Json | undefined)?.type) ?? text(r.leadType) ?? "")
    .toLowerCase();
  const source = text(visit.utmSource) ?? text(r.source) ?? text(r.utmSource);
  const medium = text(visit.utmMedium) ?? text(r.medium) ?? text(r.utmMedium);
  const campaign = text(visit.utmCampaign) ?? text(r.campaign) ?? text(r.utmCampaign);
  if (type === "none") return { kind: "none" };
  if (source === undefined && medium === undefined && campaign === undefined) {
    return type === "" ? undefined : { kind: "none" };
  }
  return {
    kind: type.startsWith("custom") ? "custom" : "lead",
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
