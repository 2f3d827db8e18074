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
  options: { statsToken: string; shape: JournalShape },
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
    record(deal, options.shape, withTags)
  );
  const pages = options.shape === "records" ? { pageTotal } : { totalPage: pageTotal };
  return [200, { page, pageSize: limit, recordsTotal: matching.length, ...pages, records }];
}

function record(deal: JournalSource, shape: JournalShape, withTags: boolean) {
  const { fields } = deal;
  if (shape === "records") {
    return {
      orderId: deal.calltouchOrderId,
      orderNumber: deal.orderNumber,
      orderStatus: fields.status ?? null,
      orderDate: fields.orderDate ?? null,
      completedAmount: fields.revenue === undefined ? null : Number(fields.revenue),
      crm: fields.crm ?? null,
      ...(withTags ? { tags: [{ category: "", type: "API", names: [...deal.tags] }] } : {}),
    };
  }
  return {
    orderNumber: /^\d+$/.test(deal.orderNumber) ? Number(deal.orderNumber) : deal.orderNumber,
    status: fields.status ?? "",
    date: fields.orderDate ?? "",
    ...(fields.revenue === undefined ? {} : { revenue: String(fields.revenue) }),
    ...(withTags ? { tags: [...deal.tags] } : {}),
  };
}
