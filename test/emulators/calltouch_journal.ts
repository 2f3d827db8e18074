/**
 * The Calltouch deals journal ("Выгрузка журнала сделок") served from the emulator's deals:
 * `GET /calls-service/RestAPI/{siteId}/orders-diary/orders?clientApiId=…&dateFrom=dd/mm/yyyy&
 * dateTo=dd/mm/yyyy&page=N&limit=M[&withOrdersTags=true]`. Documented: the path, `clientApiId`
 * (the statistics token, not the deals API key), `dateFrom`/`dateTo` on the deal date, `page` and
 * `limit` ≤ 1000. Not documented, and so two shapes here (`journalShape`): the record fields and
 * the page count's name, as public clients read them.
 */

/** What the emulator keeps of a deal (see `StoredDeal` in `calltouch.ts`). */
export interface JournalSource {
  orderNumber: string;
  calltouchOrderId: number;
  fields: Record<string, unknown>;
  tags: string[];
  /** The last `matching` / `reMatching` the deal was sent with. */
  matching: unknown[];
}

/** A call or request Calltouch tracked, with the ad it came from (see `CalltouchEmulator.addLead`). */
export interface EmulatedLead {
  kind: "call" | "request";
  phones?: string[];
  emails?: string[];
  source: string;
  medium: string;
  campaign: string;
}

/**
 * What Calltouch matched a deal to, as the emulator decides it at read time (so a lead learnt
 * later shows on the next read): the first `matching` entry that finds a lead by phone or
 * e-mail, else the `customSources` fallback, else nothing.
 */
export function attributionOf(
  matching: unknown[],
  leads: readonly EmulatedLead[],
):
  | { kind: "call" | "request" | "custom"; source: string; medium: string; campaign: string }
  | undefined {
  for (const entry of matching as Record<string, Record<string, unknown> | string>[]) {
    if (entry.type === "callContact" || entry.type === "requestContact") {
      const params = (entry.callContactParams ?? entry.requestContactParams) as {
        phones?: string[];
        emails?: string[];
      };
      const kind = entry.type === "callContact" ? "call" : "request";
      const lead = leads.find((l) =>
        l.kind === kind &&
        ((params.phones ?? []).some((p) => l.phones?.includes(p)) ||
          (params.emails ?? []).some((e) => l.emails?.includes(e)))
      );
      if (lead) return { kind, source: lead.source, medium: lead.medium, campaign: lead.campaign };
    }
    if (entry.type === "customSources") {
      const params = entry.customSourceParams as Record<string, string>;
      return {
        kind: "custom",
        source: params.source,
        medium: params.medium,
        campaign: params.campaign,
      };
    }
  }
  return undefined;
}

/**
 * `records`: `{orderId, orderNumber, orderStatus, orderDate, completedAmount (number), tags:
 * [{category, type, names}], crm}` with `pageTotal`; `flat`: `{orderNumber (number when
 * numeric), status, date, revenue (string), tags: ["…"]}` with `totalPage` and no `crm`.
 */
export type JournalShape = "records" | "flat";

const DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const DEAL_DATE = /^(\d{2})-(\d{2})-(\d{4}) /;

/** A `dd/mm/yyyy` query date as a sortable `yyyymmdd` number. */
function dayOf(text: string | null): number | undefined {
  const m = text ? DATE.exec(text) : null;
  return m ? Number(`${m[3]}${m[2]}${m[1]}`) : undefined;
}

/** A deal's `dd-MM-yyyy HH:mm:ss` date as `yyyymmdd`. */
function dealDay(date: unknown): number | undefined {
  const m = typeof date === "string" ? DEAL_DATE.exec(date) : null;
  return m ? Number(`${m[3]}${m[2]}${m[1]}`) : undefined;
}

/** The journal's answer: [status, body]. */
export function journalAnswer(
  deals: Iterable<JournalSource>,
  query: URLSearchParams,
  options: { statsToken: string; shape: JournalShape; leads: readonly EmulatedLead[] },
): [number, unknown] {
  if (query.get("clientApiId") !== options.statsToken) {
    return [401, { meta: {}, data: { error: "Invalid clientApiId" } }];
  }
  const from = dayOf(query.get("dateFrom"));
  const to = dayOf(query.get("dateTo"));
  if (from === undefined || to === undefined || from > to) {
    return [400, {
      meta: {},
      data: { error: "dateFrom and dateTo: dd/mm/yyyy, dateFrom ≤ dateTo" },
    }];
  }
  const limit = Math.min(Math.max(Number(query.get("limit") ?? 100) || 100, 1), 1000);
  const page = Math.max(Number(query.get("page") ?? 1) || 1, 1);
  const withTags = query.get("withOrdersTags") === "true";
  const matching = [...deals].filter((deal) => {
    const day = dealDay(deal.fields.orderDate);
    return day !== undefined && day >= from && day <= to;
  });
  const pageTotal = Math.max(1, Math.ceil(matching.length / limit));
  const records = matching.slice((page - 1) * limit, page * limit).map((deal) =>
    record(deal, options.shape, withTags, attributionOf(deal.matching, options.leads))
  );
  const pages = options.shape === "records" ? { pageTotal } : { totalPage: pageTotal };
  return [200, { page, pageSize: limit, recordsTotal: matching.length, ...pages, records }];
}

function record(
  deal: JournalSource,
  shape: JournalShape,
  withTags: boolean,
  origin: ReturnType<typeof attributionOf>,
) {
  const { fields } = deal;
  if (shape === "records") {
    return {
      orderId: deal.calltouchOrderId,
      orderNumber: deal.orderNumber,
      orderStatus: fields.status ?? null,
      orderDate: fields.orderDate ?? null,
      completedAmount: fields.revenue === undefined ? null : Number(fields.revenue),
      crm: fields.crm ?? null,
      orderSource: { type: origin ? origin.kind.toUpperCase() : "NONE" },
      visit: origin
        ? { utmSource: origin.source, utmMedium: origin.medium, utmCampaign: origin.campaign }
        : null,
      ...(withTags ? { tags: [{ category: "", type: "API", names: [...deal.tags] }] } : {}),
    };
  }
  return {
    orderNumber: /^\d+$/.test(deal.orderNumber) ? Number(deal.orderNumber) : deal.orderNumber,
    status: fields.status ?? "",
    date: fields.orderDate ?? "",
    ...(fields.revenue === undefined ? {} : { revenue: String(fields.revenue) }),
    ...(withTags ? { tags: [...deal.tags] } : {}),
    ...(origin
      ? {
        source: origin.source,
        medium: origin.medium,
        campaign: origin.campaign,
        leadType: origin.kind,
      }
      : { leadType: "none" }),
  };
}
