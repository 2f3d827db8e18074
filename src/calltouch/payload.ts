/** Pure builders of Calltouch create/update payloads from a {@linkcode Deal}. */
import type { CustomSource, MatchMode } from "../config.ts";
import type { Deal } from "../deal.ts";
import { FIELDS, type PlaceContext } from "../fields.ts";
import { hash53 } from "../util/hash.ts";
import { CALLTOUCH_DEFAULT_ZONE, convertWallClock, instantOf, wallClockAt } from "../util/zones.ts";
import { fromCalltouchDate, toCalltouchDate } from "./dates.ts";
import type {
  CreateOrder,
  CreateRequest,
  CtDateTime,
  Matching,
  UpdateOrder,
  UpdateRequest,
} from "./types.ts";

export { toCalltouchDate };

/** A table entry's placement, with its value type erased (the table checks it). */
type Place<O> = (order: O, value: unknown, ctx: PlaceContext) => void;

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
  /**
   * The sheet's zone and the Calltouch project's: every date sent is converted from the first
   * to the second (DST-correct). Absent or equal: wall clocks pass through.
   */
  zones?: { sheet: string; calltouch: string };
}

/**
 * What Calltouch holds for a deal: hashes of its status, tags and custom fields ("?" when
 * unknown, e.g. a request in doubt carried them), and when its status was set.
 */
export interface Holds {
  status: string;
  /** The status date it was given, as an instant (epoch ms): rendered in the project's zone. */
  statusAt: number;
  tags: string;
  custom: string;
}

/** What an update needs besides the deal. */
export interface UpdateOrderOptions {
  /** Send `reMatching`: the sync sets it when the contacts or the deal date changed. */
  rematch: boolean;
  /** What Calltouch holds of the deal (see `DealState.holds`); absent: unknown. */
  holds?: Holds;
  /** The moment of the update, epoch ms: its `updateDate`, and a new status's date. */
  now?: number;
}

/** Hashes by text: deals share a few statuses and tag sets (50,000 deals, one string each). */
const holdHashes = new Map<string, string>();
const HOLD_HASHES_KEPT = 1_000;

/** Hash of a value the sync compares with what Calltouch holds. */
export function holdHash(
  value: string | readonly string[] | Record<string, string> | undefined,
): string {
  const text = value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  let hash = holdHashes.get(text);
  if (hash === undefined) {
    if (holdHashes.size >= HOLD_HASHES_KEPT) holdHashes.clear();
    hash = hash53(text);
    holdHashes.set(text, hash);
  }
  return hash;
}

/**
 * Dates for the settings' zones: a sheet wall clock converted to the project's zone (`date`),
 * an instant in the project's zone (`at`), and back (`instant`). Without zones, wall clocks pass
 * through and instants are read in Moscow time.
 */
function dates(
  settings: PayloadSettings,
): PlaceContext & { at(ms: number): CtDateTime; instant(date: CtDateTime): number } {
  const zones = settings.zones;
  const zone = zones?.calltouch ?? CALLTOUCH_DEFAULT_ZONE;
  return {
    date: (local) =>
      toCalltouchDate(zones ? convertWallClock(local, zones.sheet, zones.calltouch) : local),
    at: (ms) => toCalltouchDate(wallClockAt(ms, zone)),
    instant: (date) => instantOf(fromCalltouchDate(date), zone),
  };
}

/**
 * The `matching` chain of a deal, in priority order: `callContact` (when it has phones),
 * `requestContact` (when it has phones or e-mails), then the `customSources` fallback.
 *
 * @example
 * matchingFor(deal, config.calltouch).map((m) => m.type); // ["callContact", "requestContact", "customSources"]
 */
export function matchingFor(deal: Deal, settings: PayloadSettings): Matching[] {
  const date = dates(settings).date(deal.orderDate);
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

/**
 * One order of a create request: the matching chain, then every column the table
 * (`src/fields.ts`) sends on create, the status date defaulting to the deal date (as the
 * client's integration document says). Optional fields are omitted when the deal has no value.
 *
 * @example
 * createRequest([createOrder(deal, config.calltouch)], config.calltouch.crm);
 */
export function createOrder(deal: Deal, settings: PayloadSettings): CreateOrder {
  const ctx = dates(settings);
  const order = { matching: matchingFor(deal, settings) } as CreateOrder;
  for (const spec of FIELDS) {
    const value = deal[spec.field];
    // The table pairs each field with its own value type.
    if (value !== undefined) (spec.create as Place<CreateOrder> | undefined)?.(order, value, ctx);
  }
  order.statusDate ??= ctx.date(deal.orderDate);
  if (deal.custom) order.customFields = customFieldsOf(deal.custom);
  return order;
}

/**
 * One order of an update request: what can change, and only what the sheet owns:
 * - every column the table sends on update (status, revenue, manager, name);
 * - `statusDate`: the sheet's status date if it has one; else, when the status changed since
 *   what Calltouch holds, the moment of the update (`now`), else the date Calltouch holds (a
 *   sum-only edit keeps it; a retry of a request in doubt sends the same date);
 * - `updateDate`: the moment of the update;
 * - `addTags` (the sheet's list, `overwrite: true`) only when it changed since what Calltouch
 *   holds, so tags a marketer added in Calltouch to an untagged deal stay; when the sync does not
 *   know what Calltouch holds (a lost state, a state of an older version), the list is sent even
 *   when empty, so that no tag removed in the sheet stays;
 * - `customFields` when one changed (a cleared cell is not sent);
 * - `reMatching` when `options.rematch`.
 *
 * Not sent: `orderDate` (not documented as updatable; a new date is conveyed by `reMatching`),
 * the comment (update only has `addNewComment`, which appends, so resending would repeat it),
 * and absent revenue/manager/name (whether an empty value clears a field is undocumented).
 *
 * @example
 * updateRequest([updateOrder(deal, config.calltouch, { rematch: false, holds, now: Date.now() })]);
 */
export function updateOrder(
  deal: Deal,
  settings: PayloadSettings,
  options: UpdateOrderOptions,
): UpdateOrder {
  const ctx = dates(settings);
  const holds = options.holds;
  const now = options.now ?? 0;
  const order = {} as UpdateOrder;
  for (const spec of FIELDS) {
    const value = deal[spec.field];
    if (value !== undefined) (spec.update as Place<UpdateOrder> | undefined)?.(order, value, ctx);
  }
  order.statusDate = deal.statusDate !== undefined
    ? ctx.date(deal.statusDate)
    : holds === undefined
    ? ctx.date(deal.orderDate) // what older versions sent, and so what Calltouch holds
    : holds.status === holdHash(deal.status)
    ? ctx.at(holds.statusAt)
    : ctx.at(now);
  order.updateDate = ctx.at(now);
  if (holds?.tags === undefined || holds.tags !== holdHash(deal.tags)) {
    order.addTags = { overwrite: true, tags: deal.tags.map((tag) => ({ tag })) };
  }
  // A cleared cell is not sent: whether an empty value clears a custom field is undocumented
  // (Calltouch has a separate delete method); the value stays in Calltouch.
  const custom = deal.custom ?? {};
  if (
    Object.keys(custom).length > 0 &&
    (holds?.custom === undefined || holds.custom !== holdHash(custom))
  ) {
    order.customFields = customFieldsOf(custom);
  }
  if (options.rematch) order.reMatching = matchingFor(deal, settings);
  return order;
}

function customFieldsOf(custom: Record<string, string>): { field: string; value: string }[] {
  return Object.entries(custom).map(([field, value]) => ({ field, value }));
}

/**
 * What Calltouch holds once `order` is accepted (see `DealState.holds`), and while it is in
 * doubt: fields it carried are unknown then ("?"), and so is everything when nothing was known
 * before (a deal that may exist already); the status and its date are the ones sent.
 * `previous`: what was known before this order (for a retry with the other method, the doubt of
 * the first try, so that what either try carried stays unknown).
 */
export function holdsOf(
  deal: Deal,
  order: CreateOrder | UpdateOrder,
  previous: Holds | undefined,
  settings: PayloadSettings,
): { accepted: Holds; inDoubt: Holds } {
  const status = holdHash(deal.status);
  const statusAt = order.statusDate !== undefined
    ? dates(settings).instant(order.statusDate)
    : previous?.statusAt ?? 0;
  const tags = holdHash(deal.tags);
  const custom = holdHash(deal.custom ?? {});
  // In doubt with nothing known before (a create, a lost state): whatever the deal held, if it
  // existed, is unknown too: a create that did not land (refused as existing) left it as it was.
  return {
    accepted: { status, statusAt, tags, custom },
    inDoubt: {
      status,
      statusAt,
      tags: previous === undefined || ("addTags" in order && order.addTags !== undefined)
        ? "?"
        : previous.tags,
      custom: previous === undefined || order.customFields !== undefined ? "?" : previous.custom,
    },
  };
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
