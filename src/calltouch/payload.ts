/** Pure builders of Calltouch create/update payloads from a {@linkcode Deal}. */
import type { CustomSource, MatchMode } from "../config.ts";
import type { Deal, LocalDateTime } from "../deal.ts";
import type {
  CreateOrder,
  CreateRequest,
  CtDateTime,
  Matching,
  Tag,
  UpdateOrder,
  UpdateRequest,
} from "./types.ts";

/** The settings payloads need: a subset of `Config["calltouch"]`, so `config.calltouch` fits. */
export interface PayloadSettings {
  /** The `crm` field of create requests. */
  crm: string;
  /** source/medium/campaign of the `customSources` fallback. */
  customSource: CustomSource;
  /** `searchDepth` of contact matching, in minutes. */
  searchDepthMinutes: number;
  /** `callTypeToMatch` / `requestTypeToMatch`. */
  matchMode: MatchMode;
}

/** Options of {@linkcode updateOrder}. */
export interface UpdateOrderOptions {
  /** Send `reMatching`: the sync sets it when the contacts or the deal date changed. */
  rematch: boolean;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/**
 * Formats a sheet date-time for Calltouch: `YYYY-MM-DDTHH:mm:ss` → `dd-MM-yyyy HH:mm:ss`.
 * The wall clock passes through unchanged (neither format has a zone).
 *
 * @throws {TypeError} when `local` is not a {@linkcode LocalDateTime} (a programming mistake:
 * the row parser only produces valid ones).
 * @example
 * toCalltouchDate("2021-07-19T16:42:32"); // "19-07-2021 16:42:32"
 */
export function toCalltouchDate(local: LocalDateTime): CtDateTime {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m) throw new TypeError(`Not a LocalDateTime (YYYY-MM-DDTHH:mm:ss): "${local}"`);
  const [, year, month, day, hour, minute, second] = m;
  return `${day}-${month}-${year} ${hour}:${minute}:${second}`;
}

/**
 * The `matching` chain of a deal, in priority order: `callContact` (when it has phones),
 * `requestContact` (when it has phones or e-mails), then the `customSources` fallback.
 *
 * @example
 * matchingFor(deal, config.calltouch).map((m) => m.type); // ["callContact", "requestContact", "customSources"]
 */
export function matchingFor(deal: Deal, settings: PayloadSettings): Matching[] {
  const date = toCalltouchDate(deal.orderDate);
  const searchDepth = settings.searchDepthMinutes;
  const matching: Matching[] = [];
  if (deal.phones.length > 0) {
    matching.push({
      type: "callContact",
      callContactParams: {
        phones: [...deal.phones],
        date,
        callTypeToMatch: settings.matchMode,
        searchDepth,
      },
    });
  }
  if (deal.phones.length > 0 || deal.emails.length > 0) {
    matching.push({
      type: "requestContact",
      requestContactParams: {
        // Empty lists are left out rather than sent as []: nothing says Calltouch accepts them.
        ...(deal.emails.length > 0 ? { emails: [...deal.emails] } : {}),
        ...(deal.phones.length > 0 ? { phones: [...deal.phones] } : {}),
        date,
        requestTypeToMatch: settings.matchMode,
        searchDepth,
      },
    });
  }
  const { source, medium, campaign } = settings.customSource;
  matching.push({ type: "customSources", customSourceParams: { source, medium, campaign } });
  return matching;
}

function tagsOf(deal: Deal): Tag[] {
  return deal.tags.map((tag) => ({ tag }));
}

/**
 * One order of a create request (key order as in the client's integration document).
 * Optional fields are omitted when the deal has no value for them.
 *
 * @example
 * createRequest([createOrder(deal, config.calltouch)], config.calltouch.crm);
 */
export function createOrder(deal: Deal, settings: PayloadSettings): CreateOrder {
  const order: CreateOrder = {
    matching: matchingFor(deal, settings),
    orderNumber: deal.orderNumber,
    status: deal.status,
    statusDate: toCalltouchDate(deal.statusDate),
    orderDate: toCalltouchDate(deal.orderDate),
  };
  if (deal.revenue !== undefined) order.revenue = deal.revenue;
  if (deal.tags.length > 0) order.addTags = tagsOf(deal);
  if (deal.manager !== undefined) order.manager = deal.manager;
  if (deal.orderName !== undefined) order.orderName = deal.orderName;
  if (deal.comment !== undefined) order.comment = { text: deal.comment };
  return order;
}

/**
 * One order of an update request: only what can change. Tags are always sent with
 * `overwrite: true`, so the sheet stays the source of truth (an empty list clears them);
 * `reMatching` is added only when `options.rematch` is true.
 *
 * Not sent: `orderDate` (not documented as updatable; a new date is conveyed by `reMatching`),
 * the comment (update only has `addNewComment`, which appends, so resending would repeat it),
 * and absent revenue/manager/name (whether an empty value clears a field is undocumented).
 *
 * @example
 * updateRequest([updateOrder(deal, config.calltouch, { rematch: contactsChanged })]);
 */
export function updateOrder(
  deal: Deal,
  settings: PayloadSettings,
  options: UpdateOrderOptions,
): UpdateOrder {
  const order: UpdateOrder = {
    orderNumber: deal.orderNumber,
    status: deal.status,
    statusDate: toCalltouchDate(deal.statusDate),
    addTags: { overwrite: true, tags: tagsOf(deal) },
  };
  if (deal.revenue !== undefined) order.revenue = deal.revenue;
  if (deal.manager !== undefined) order.manager = deal.manager;
  if (deal.orderName !== undefined) order.orderName = deal.orderName;
  if (options.rematch) order.reMatching = matchingFor(deal, settings);
  return order;
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
