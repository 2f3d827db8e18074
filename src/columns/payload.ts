/**
 * Pure builders of Calltouch create/update orders from a {@linkcode Deal}: the matching chain,
 * then what every entry of the column table puts into the order (its create or update rule),
 * and what Calltouch holds once an order is accepted (the hashes of the `holds`).
 */
import type {
  CreateOrder,
  CtDateTime,
  CustomSource,
  Matching,
  MatchMode,
  UpdateOrder,
} from "../calltouch/types.ts";
import { calltouchDateAsUtc, toCalltouchDate } from "../calltouch/dates.ts";
import type { Deal } from "../deal.ts";
import { rowUrls } from "../google/links.ts";
import { type HashKey, hashText } from "../util/hash.ts";
import {
  CALLTOUCH_DEFAULT_ZONE,
  convertWallClock,
  instantOfUtcReading,
  wallClockAt,
} from "../util/zones.ts";
import { CUSTOM_FIELDS_ENTRY, customValues } from "./custom.ts";
import { DEAL_COLUMNS, DERIVED } from "./deal_columns.ts";
import type { AnyDealColumn, ColumnEntry, KnownPart, PlaceContext, UpdateContext } from "./spec.ts";

export { toCalltouchDate };

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
  /** Where the deals' rows are (`orderLink`); absent: no link is sent. */
  sheet?: { spreadsheetId: string; tabId?: number };
  /**
   * The key of the hashes kept of what was sent (the holds, a refused request's hash): the
   * deployment's (`util/keyring.ts`), so a stored hash of a deal's tags or payload cannot be
   * tested against guesses without it.
   */
  hashKey: HashKey;
}

/**
 * What Calltouch holds for a deal: hashes of its status, tags and custom fields under the
 * deployment's key ("?" when unknown, e.g. a request in doubt carried them), and when its status
 * was set.
 */
export interface Known {
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
  /** What Calltouch holds of the deal (see `DealState.known`); absent: unknown. */
  known?: Known;
  /** The moment of the update, epoch ms: its `updateDate`, and a new status's date. */
  now: number;
}

/**
 * Hashes by text, under one key: deals share a few statuses and tag sets (50,000 deals, one
 * string each). Another key (another target's run) starts it over.
 */
const knownHashes = new Map<string, string>();
let knownHashesKey: HashKey | undefined;
const KNOWN_HASHES_KEPT = 1_000;

/** Whether a list or an object has no entries (most deals have no tags or custom fields). */
function hasNoEntries(value: readonly string[] | object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) return false;
  return true;
}

/** Hash of a value the sync compares with what Calltouch holds, under `key`. */
export function knownHash(
  value: string | readonly string[] | object | undefined,
  key: HashKey,
): string {
  const text = value === undefined
    ? ""
    : typeof value === "string"
    ? value
    : hasNoEntries(value)
    ? (Array.isArray(value) ? "[]" : "{}") // JSON.stringify's text, without the call
    : JSON.stringify(value);
  if (key !== knownHashesKey) {
    knownHashes.clear();
    knownHashesKey = key;
  }
  let hash = knownHashes.get(text);
  if (hash === undefined) {
    if (knownHashes.size >= KNOWN_HASHES_KEPT) knownHashes.clear();
    hash = hashText(key, text);
    knownHashes.set(text, hash);
  }
  return hash;
}

/**
 * Dates for the settings' zones: a sheet wall clock converted to the project's zone (`date`),
 * an instant in the project's zone (`at`), and back (`instant`). Without zones, wall clocks pass
 * through and instants are read in Moscow time.
 */
function dates(settings: PayloadSettings): Dates {
  let found = datesBySettings.get(settings);
  if (found) return found;
  const { zones, sheet } = settings;
  const zone = zones?.calltouch ?? CALLTOUCH_DEFAULT_ZONE;
  // The last date converted: an order converts its deal date twice (the matching chain's date
  // and `orderDate`), and its status date is often the same one.
  let lastLocal: string | undefined;
  let lastDate = "" as CtDateTime;
  found = {
    date: (local: string) => {
      if (local !== lastLocal) {
        lastDate = toCalltouchDate(
          zones ? convertWallClock(local, zones.sheet, zones.calltouch) : local,
        );
        lastLocal = local;
      }
      return lastDate;
    },
    at: (ms: number) => toCalltouchDate(wallClockAt(ms, zone)),
    instant: (date: CtDateTime) => instantOfUtcReading(calltouchDateAsUtc(date), zone),
    link: sheet ? rowUrls(sheet.spreadsheetId, sheet.tabId) : undefined,
  };
  datesBySettings.set(settings, found);
  return found;
}

interface Dates {
  date(local: string): CtDateTime;
  at(ms: number): CtDateTime;
  instant(date: CtDateTime): number;
  /** The link of a row (`orderLink`), when the settings say where the rows are. */
  link?: (row: number) => string;
}

/** One set of date and link functions per settings object: every order of a run asks for them. */
const datesBySettings = new WeakMap<PayloadSettings, Dates>();

function placeContext(
  deal: Deal,
  settings: PayloadSettings,
  tags: readonly string[],
): PlaceContext {
  const { date, link } = dates(settings);
  return { date, tags, link: link?.(deal.row) };
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
  const mode = settings.matchMode;
  // Copies of the deal's lists (one each, shared by both steps: nothing changes them), and
  // objects written out whole: no spreads, which cost the first thousands of orders dearly.
  const phones = deal.phones.length > 0 ? deal.phones.slice() : undefined;
  const emails = deal.emails.length > 0 ? deal.emails.slice() : undefined;
  const matching: Matching[] = [];
  if (phones) {
    matching.push({
      type: "callContact",
      callContactParams: { phones, date, callTypeToMatch: mode, searchDepth },
    });
  }
  // Empty lists are left out rather than sent as []: nothing says Calltouch accepts them.
  if (phones && emails) {
    matching.push({
      type: "requestContact",
      requestContactParams: { emails, phones, date, requestTypeToMatch: mode, searchDepth },
    });
  } else if (phones || emails) {
    matching.push({
      type: "requestContact",
      requestContactParams: phones
        ? { phones, date, requestTypeToMatch: mode, searchDepth }
        : { emails, date, requestTypeToMatch: mode, searchDepth },
    });
  }
  const { source, medium, campaign } = settings.customSource;
  matching.push({ type: "customSources", customSourceParams: { source, medium, campaign } });
  return matching;
}

/** The entries that put something into an order, in the order they do. */
function entriesOf(columns: readonly AnyDealColumn[]): readonly ColumnEntry[] {
  return [...columns, ...DERIVED, CUSTOM_FIELDS_ENTRY];
}

/** Every entry that puts something into an order (the table's), in the order it does. */
export const PAYLOAD_ENTRIES: readonly ColumnEntry[] = entriesOf(DEAL_COLUMNS);

/** The order builders of a column table (see {@linkcode orderBuilder}). */
export interface OrderBuilder {
  /**
   * The deal's tag list as sent: its tags column, then the value of every column sent as a tag
   * (`asTag`), de-duplicated. Without such columns, the tags column's list itself.
   */
  tagsOf(deal: Deal): readonly string[];
  /** The hash of one part of what Calltouch holds for a deal, as it is now, under `key`. */
  knownOf(deal: Deal, part: KnownPart, key: HashKey): string;
  /**
   * One order of a create request: the matching chain, then what every entry of the column
   * table sends on create (`deal_columns.ts`, `custom.ts`). Optional fields are omitted when the
   * deal has no value.
   *
   * @example
   * createRequest([createOrder(deal, config.calltouch)], config.calltouch.crm);
   */
  createOrder(deal: Deal, settings: PayloadSettings): CreateOrder;
  /**
   * One order of an update request: what can change, by the update rule of every entry of the
   * column table (a group of values Calltouch holds, such as tags, only when it changed), the
   * moment of the update (`updateDate`), and `reMatching` when `options.rematch`.
   *
   * Not sent: `orderDate` (not documented as updatable; a new date is conveyed by `reMatching`),
   * the comment (update only has `addNewComment`, which appends, so resending would repeat it),
   * and absent values (whether an empty value clears a field is undocumented).
   *
   * @example
   * updateRequest([updateOrder(deal, config.calltouch, { rematch: false, holds, now: Date.now() })]);
   */
  updateOrder(deal: Deal, settings: PayloadSettings, options: UpdateOrderOptions): UpdateOrder;
  /**
   * What Calltouch holds once `order` is accepted (see `DealState.holds`), and while it is in
   * doubt: holds it carried are unknown then ("?"), and so is everything when nothing was known
   * before (a deal that may exist already); the status and its date are the ones sent.
   * `previous`: what was known before this order (for a retry with the other method, the doubt
   * of the first try, so that what either try carried stays unknown).
   */
  knownAfter(
    deal: Deal,
    order: CreateOrder | UpdateOrder,
    previous: Known | undefined,
    settings: PayloadSettings,
  ): { accepted: Known; inDoubt: Known };
}

/**
 * The order builders of a column table: the sync's own is the table's (the functions exported
 * below); tests build one of a table with another column, to see what an entry does.
 */
export function orderBuilder(columns: readonly AnyDealColumn[]): OrderBuilder {
  const entries = entriesOf(columns);
  const asTag = columns.filter((c) => c.asTag);
  const tagsOf = (deal: Deal): readonly string[] => {
    if (asTag.length === 0) return deal.tags;
    const tags = [...deal.tags];
    for (const column of asTag) {
      const value = deal[column.key];
      for (const tag of Array.isArray(value) ? value : value === undefined ? [] : [String(value)]) {
        if (tag !== "" && !tags.includes(tag)) tags.push(tag);
      }
    }
    return tags;
  };
  const values: Record<KnownPart, (deal: Deal) => string | readonly string[] | object> = {
    status: (deal) => deal.status,
    tags: tagsOf,
    custom: customValues,
  };
  const knownOf = (deal: Deal, part: KnownPart, key: HashKey) => knownHash(values[part](deal), key);
  return {
    tagsOf,
    knownOf,
    createOrder(deal, settings) {
      const ctx = placeContext(deal, settings, tagsOf(deal));
      const order = { matching: matchingFor(deal, settings) } as CreateOrder;
      for (const entry of entries) entry.create?.(order, deal, ctx);
      return order;
    },
    updateOrder(deal, settings, options) {
      const { at } = dates(settings);
      const known = options.known;
      const now = at(options.now);
      const ctx: UpdateContext = {
        ...placeContext(deal, settings, tagsOf(deal)),
        changed: (part) =>
          known?.[part] === undefined || known[part] !== knownOf(deal, part, settings.hashKey),
        knownStatusDate: () => known === undefined ? undefined : at(known.statusAt),
        now,
      };
      const order = {} as UpdateOrder;
      for (const entry of entries) entry.update?.(order, deal, ctx);
      order.updateDate = now;
      if (options.rematch) order.reMatching = matchingFor(deal, settings);
      return order;
    },
    knownAfter(deal, order, previous, settings) {
      const status = knownOf(deal, "status", settings.hashKey);
      // Every order carries a status date (the table's statusDate entry sets it for both methods).
      const statusAt = dates(settings).instant(order.statusDate);
      const tags = knownOf(deal, "tags", settings.hashKey);
      const custom = knownOf(deal, "custom", settings.hashKey);
      // In doubt with nothing known before (a create, a lost state): whatever the deal held, if
      // it existed, is unknown too: a create that did not land (refused as existing) left it as
      // it was.
      return {
        accepted: { status, statusAt, tags, custom },
        inDoubt: {
          status,
          statusAt,
          tags: previous === undefined || order.addTags !== undefined ? "?" : previous.tags,
          custom: previous === undefined || order.customFields !== undefined
            ? "?"
            : previous.custom,
        },
      };
    },
  };
}

const TABLE_ORDERS = orderBuilder(DEAL_COLUMNS);

/** The deal's tag list as sent (see {@linkcode OrderBuilder.tagsOf}). */
export const tagsOf: OrderBuilder["tagsOf"] = TABLE_ORDERS.tagsOf;
/** The hash of one part of what Calltouch holds for a deal (see {@linkcode OrderBuilder.knownOf}). */
export const knownOf: OrderBuilder["knownOf"] = TABLE_ORDERS.knownOf;
/** One order of a create request (see {@linkcode OrderBuilder.createOrder}). */
export const createOrder: OrderBuilder["createOrder"] = TABLE_ORDERS.createOrder;
/** One order of an update request (see {@linkcode OrderBuilder.updateOrder}). */
export const updateOrder: OrderBuilder["updateOrder"] = TABLE_ORDERS.updateOrder;
/** What Calltouch holds once an order is accepted (see {@linkcode OrderBuilder.knownAfter}). */
export const knownAfter: OrderBuilder["knownAfter"] = TABLE_ORDERS.knownAfter;
