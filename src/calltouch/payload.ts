/** Pure builders of Calltouch create/update payloads from a {@linkcode Deal}. */
import type { CustomSource, MatchMode } from "../config.ts";
import type { Deal } from "../deal.ts";
import { FIELDS } from "../fields.ts";
import { toCalltouchDate } from "./dates.ts";
import type { CreateOrder, CreateRequest, Matching, UpdateOrder, UpdateRequest } from "./types.ts";

export { toCalltouchDate };

/** A table entry's placement, with its value type erased (the table checks it). */
type Place<O> = (order: O, value: unknown) => void;

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

/**
 * One order of a create request: the matching chain, then every column the table
 * (`src/fields.ts`) sends on create. Optional fields are omitted when the deal has no value.
 *
 * @example
 * createRequest([createOrder(deal, config.calltouch)], config.calltouch.crm);
 */
export function createOrder(deal: Deal, settings: PayloadSettings): CreateOrder {
  const order = { matching: matchingFor(deal, settings) } as CreateOrder;
  for (const spec of FIELDS) {
    const value = deal[spec.field];
    // The table pairs each field with its own value type.
    if (value !== undefined) (spec.create as Place<CreateOrder> | undefined)?.(order, value);
  }
  return order;
}

/**
 * One order of an update request: every column the table sends on update (tags with
 * `overwrite: true`, so the sheet stays the source of truth), and `reMatching` only when
 * `options.rematch` is true.
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
  const order = {} as UpdateOrder;
  for (const spec of FIELDS) {
    const value = deal[spec.field];
    if (value !== undefined) (spec.update as Place<UpdateOrder> | undefined)?.(order, value);
  }
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
