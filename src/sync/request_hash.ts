/**
 * The hash of what the sync sends for a deal, kept with a refused deal (`DealState.request`): a
 * held deal whose hash changes (a setting fixed, a new payload format) is sent again. Key order
 * does not count (the hash is over a canonical form), so moving an entry in the column table
 * releases nothing. The payload holds the deal's phones and e-mails, so the hash is keyed
 * (`k:`, under `settings.hashKey`). Forms of older builds are recognised, never written: `r:`
 * (unkeyed, until issue 22) and no prefix at all (82b7e55 and older: the orders in that build's
 * key order).
 */
import { createOrder, type PayloadSettings, updateOrder } from "../columns/payload.ts";
import type { CreateOrder, UpdateOrder } from "../calltouch/types.ts";
import { hash53, type HashKey, hashText, LEGACY } from "../util/hash.ts";
import type { PlannedDeal } from "./plan.ts";

/** What keyed hashes start with. */
const KEYED = "k:";
/** What the unkeyed hashes of the builds between 82b7e55 and issue 22 start with. */
const UNKEYED = "r:";

/** Both orders of a deal, by either method, at a fixed moment, with nothing held and no link. */
function ordersOf(planned: Pick<PlannedDeal, "deal">, settings: PayloadSettings) {
  // The link follows the row's place: sorting the sheet must not release held deals.
  const fixed = { ...settings, sheet: undefined };
  return {
    create: createOrder(planned.deal, fixed),
    update: updateOrder(planned.deal, fixed, { rematch: true, now: 0 }),
  };
}

/** JSON with every object's keys sorted: the same value gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The text the hash is over: the `crm` and both orders, canonical. */
function requestText(planned: Pick<PlannedDeal, "deal">, settings: PayloadSettings): string {
  const { create, update } = ordersOf(planned, settings);
  return `${settings.crm}\u001f${canonical(create)}\u001f${canonical(update)}`;
}

/**
 * Hash of what the sync sends for a deal, by either method (create, and update with
 * re-matching) with the `crm`, under `settings.hashKey`.
 */
export function requestHash(
  planned: Pick<PlannedDeal, "deal">,
  settings: PayloadSettings,
): string {
  return KEYED + hashText(settings.hashKey, requestText(planned, settings));
}

/**
 * Whether a stored request hash is the one of what the sync would send for the deal now: keyed
 * under `settings.hashKey` or one of `older` keys (a state saved under a key being rotated), or
 * in the unkeyed form of an older build.
 */
export function sameRequest(
  planned: Pick<PlannedDeal, "deal">,
  settings: PayloadSettings,
  stored: string,
  older: readonly HashKey[] = [],
): boolean {
  if (stored.startsWith(KEYED)) {
    const text = requestText(planned, settings);
    return [settings.hashKey, ...older].some((key) =>
      key !== LEGACY && stored === KEYED + hashText(key, text)
    );
  }
  if (stored.startsWith(UNKEYED)) {
    return stored === UNKEYED + hash53(requestText(planned, settings));
  }
  const { create, update } = ordersOf(planned, settings);
  const legacy = `${settings.crm}\u001f${
    JSON.stringify(firstKeyOrder(create, CREATE_KEYS(planned.deal.statusDate !== undefined)))
  }\u001f${JSON.stringify(firstKeyOrder(update, UPDATE_KEYS))}`;
  return stored === hash53(legacy);
}

/** The create order's keys as the first builds placed them (the status date: cell or default). */
const CREATE_KEYS = (statusDateCell: boolean): (keyof CreateOrder)[] => [
  "matching",
  "orderNumber",
  "orderDate",
  "status",
  ...(statusDateCell ? ["statusDate" as const] : []),
  "revenue",
  "addTags",
  "manager",
  "orderName",
  "comment",
  ...(statusDateCell ? [] : ["statusDate" as const]),
  "customFields",
];
const UPDATE_KEYS: (keyof UpdateOrder)[] = [
  "orderNumber",
  "status",
  "revenue",
  "manager",
  "orderName",
  "statusDate",
  "updateDate",
  "addTags",
  "customFields",
  "reMatching",
];

/** The order with its keys in `keys`' order (keys of later builds after them). */
function firstKeyOrder<O extends object>(order: O, keys: readonly (keyof O)[]): O {
  const copy = {} as O;
  for (const key of keys) if (order[key] !== undefined) copy[key] = order[key];
  for (const key of Object.keys(order) as (keyof O)[]) {
    if (!(key in copy) && order[key] !== undefined) copy[key] = order[key];
  }
  return copy;
}
