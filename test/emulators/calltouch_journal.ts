/**
 * The Calltouch deals journal ("Выгрузка журнала сделок") served from the emulator's deals:
 * `GET /calls-service/RestAPI/{siteId}/orders-diary/orders?clientApiId=…&dateFrom=dd/mm/yyyy&
 * dateTo=dd/mm/yyyy&page=N&limit=M[&withOrdersTags=true]`. Documented: the path, `clientApiId`
 * (the statistics token, not the deals API key), `dateFrom`/`dateTo` on the deal date, `page` and
 * `limit` ≤ 1000, and that `dateFrom` must be earlier than `dateTo` (refused here with a 400: how
 * Calltouch refuses it is not documented). Not documented, and so switches here: the record fields
 * and the page count's name, as public clients read them (`journalShape`); whether the page count
 * is given at all (`journalPageCount`); whether `dateTo` is inclusive (`journalDateTo`); how a
 * deal without a lead shows (`journalNoLead`); the sum of an open deal (`journalSum`).
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

/**
 * How the journal shows a deal Calltouch found no lead for. `custom`: a deal sent with a
 * `customSources` fallback shows that source (type `CUSTOM` + its UTM values; flat: the values and
 * `leadType: "custom"`); `customTypeOnly`: the custom type without values. A deal without one (or
 * every deal, under the other forms) shows no origin: `typeNone`, a `NONE` type and `visit: null`
 * (flat: `leadType: "none"`); `absent`, no origin fields at all; `emptyObjects`, `orderSource: {}`
 * and `visit: {}` (flat: empty strings); `nulls`, both `null` (flat: `null` values).
 */
export type JournalNoLead =
  | "custom"
  | "customTypeOnly"
  | "typeNone"
  | "absent"
  | "emptyObjects"
  | "nulls";

/**
 * The sums of a deal: `completed`, the sum sent as the completed sum (records: `completedAmount`;
 * flat: `revenue`); `openDeal`, as an open deal may show it: completed 0, the sum sent as the
 * planned sum (`plannedAmount`).
 */
export type JournalSum = "completed" | "openDeal";

/** The journal's switches (see `CalltouchSwitches` in `calltouch.ts`). */
export interface JournalSwitches {
  shape: JournalShape;
  /** Whether a page says how many pages there are (`pageTotal` / `totalPage`). */
  pageCount: boolean;
  /** Whether a deal dated on `dateTo` is in the answer. */
  dateTo: "inclusive" | "exclusive";
  noLead: JournalNoLead;
  sum: JournalSum;
}

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
  options: JournalSwitches & { statsToken: string; leads: readonly EmulatedLead[] },
): [number, unknown] {
  if (query.get("clientApiId") !== options.statsToken) {
    return [401, { meta: {}, data: { error: "Invalid clientApiId" } }];
  }
  const from = dayOf(query.get("dateFrom"));
  const to = dayOf(query.get("dateTo"));
  // Documented: dateFrom earlier than dateTo. The form of the refusal is a guess.
  if (from === undefined || to === undefined || from >= to) {
    return [400, {
      meta: {},
      data: { error: "dateFrom and dateTo: dd/mm/yyyy, dateFrom must be less than dateTo" },
    }];
  }
  const limit = Math.min(Math.max(Number(query.get("limit") ?? 100) || 100, 1), 1000);
  const page = Math.max(Number(query.get("page") ?? 1) || 1, 1);
  const withTags = query.get("withOrdersTags") === "true";
  const last = options.dateTo === "inclusive" ? to : to - 1;
  const matching = [...deals].filter((deal) => {
    const day = dealDay(deal.fields.orderDate);
    return day !== undefined && day >= from && day <= last;
  });
  const pageTotal = Math.max(1, Math.ceil(matching.length / limit));
  const records = matching.slice((page - 1) * limit, page * limit).map((deal) =>
    record(deal, withTags, attributionOf(deal.matching, options.leads), options)
  );
  const pages = !options.pageCount
    ? {}
    : options.shape === "records"
    ? { pageTotal }
    : { totalPage: pageTotal };
  return [200, { page, pageSize: limit, recordsTotal: matching.length, ...pages, records }];
}

type Origin = ReturnType<typeof attributionOf>;

function record(deal: JournalSource, withTags: boolean, origin: Origin, options: JournalSwitches) {
  const { fields } = deal;
  const sum = fields.revenue === undefined ? undefined : Number(fields.revenue);
  const open = options.sum === "openDeal" && sum !== undefined;
  if (options.shape === "records") {
    return {
      orderId: deal.calltouchOrderId,
      orderNumber: deal.orderNumber,
      orderStatus: fields.status ?? null,
      orderDate: fields.orderDate ?? null,
      completedAmount: open ? 0 : sum ?? null,
      ...(open ? { plannedAmount: sum } : {}),
      crm: fields.crm ?? null,
      ...recordsOrigin(origin, options.noLead),
      ...(withTags ? { tags: [{ category: "", type: "API", names: [...deal.tags] }] } : {}),
    };
  }
  return {
    orderNumber: /^\d+$/.test(deal.orderNumber) ? Number(deal.orderNumber) : deal.orderNumber,
    status: fields.status ?? "",
    date: fields.orderDate ?? "",
    ...(sum === undefined ? {} : { revenue: open ? "0" : String(fields.revenue) }),
    ...(open ? { plannedAmount: String(fields.revenue) } : {}),
    ...(withTags ? { tags: [...deal.tags] } : {}),
    ...flatOrigin(origin, options.noLead),
  };
}

/** The form a deal's origin takes under `noLead`: a lead, a custom source shown, or none. */
function originForm(origin: Origin, noLead: JournalNoLead) {
  if (origin && origin.kind !== "custom") return "lead";
  if (origin && noLead === "custom") return "lead";
  if (origin && noLead === "customTypeOnly") return "customTypeOnly";
  return noLead === "custom" || noLead === "customTypeOnly" ? "typeNone" : noLead;
}

function recordsOrigin(origin: Origin, noLead: JournalNoLead): Record<string, unknown> {
  switch (originForm(origin, noLead)) {
    case "lead":
      return {
        orderSource: { type: origin!.kind.toUpperCase() },
        visit: {
          utmSource: origin!.source,
          utmMedium: origin!.medium,
          utmCampaign: origin!.campaign,
        },
      };
    case "customTypeOnly":
      return { orderSource: { type: "CUSTOM" }, visit: null };
    case "typeNone":
      return { orderSource: { type: "NONE" }, visit: null };
    case "emptyObjects":
      return { orderSource: {}, visit: {} };
    case "nulls":
      return { orderSource: null, visit: null };
    default:
      return {};
  }
}

function flatOrigin(origin: Origin, noLead: JournalNoLead): Record<string, unknown> {
  switch (originForm(origin, noLead)) {
    case "lead":
      return {
        source: origin!.source,
        medium: origin!.medium,
        campaign: origin!.campaign,
        leadType: origin!.kind,
      };
    case "customTypeOnly":
      return { leadType: "custom" };
    case "typeNone":
      return { leadType: "none" };
    case "emptyObjects":
      return { source: "", medium: "", campaign: "", leadType: "" };
    case "nulls":
      return { source: null, medium: null, campaign: null, leadType: null };
    default:
      return {};
  }
}
