/**
 * What the sync remembers of a deal after each kind of answer (pure): accepted, refused by both
 * methods (held), or sent without a known answer (in doubt); and the two judgements sending
 * needs: which refusal a held deal shows, and whether Calltouch's deals journal could later
 * prove that a request in doubt landed.
 */
import type { Operation } from "../calltouch/client.ts";
import type { CreateOrder, UpdateOrder } from "../calltouch/types.ts";
import {
  createOrder,
  type Known,
  knownAfter,
  knownOf,
  type PayloadSettings,
  updateOrder,
} from "../columns/payload.ts";
import type { PlannedDeal } from "./plan.ts";
import { requestHash } from "./request_hash.ts";
import type { DealState } from "./state.ts";

/** The other method: create ↔ update. */
export const other = (method: Operation): Operation => method === "create" ? "update" : "create";

/** The order payload of a planned deal for a method, sent at `now` (epoch ms). */
export function orderFor(
  planned: PlannedDeal,
  method: "create",
  settings: PayloadSettings,
  now: number,
): CreateOrder;
export function orderFor(
  planned: PlannedDeal,
  method: "update",
  settings: PayloadSettings,
  now: number,
): UpdateOrder;
export function orderFor(
  planned: PlannedDeal,
  method: Operation,
  settings: PayloadSettings,
  now: number,
): CreateOrder | UpdateOrder;
export function orderFor(
  planned: PlannedDeal,
  method: Operation,
  settings: PayloadSettings,
  now: number,
): CreateOrder | UpdateOrder {
  if (method === "create") return createOrder(planned.deal, settings);
  // An update sent in place of a create re-matches: nothing says how Calltouch matched the deal.
  const rematch = planned.action === "create" || planned.rematch;
  return updateOrder(planned.deal, settings, { rematch, known: planned.previous?.known, now });
}

/**
 * The state of a deal Calltouch accepted with `method`, as `order` carried it. `known`: what
 * Calltouch holds after it (`knownAfter(…).accepted` of this order), when already worked out.
 */
export function acceptedState(
  planned: PlannedDeal,
  method: Operation,
  order: CreateOrder | UpdateOrder,
  at: number,
  settings: PayloadSettings,
  known?: Known,
): DealState {
  return {
    fingerprint: planned.fingerprint,
    matching: planned.matching,
    exists: true,
    outcome: method === "create" ? "created" : "updated",
    at,
    raw: planned.raw,
    known: known ?? knownAfter(planned.deal, order, planned.previous?.known, settings).accepted,
  };
}

/**
 * The state of a deal both methods refused (held until released, see `plan.ts`): refused, so not
 * applied: Calltouch holds what it held before.
 */
export function refusedState(
  planned: PlannedDeal,
  reason: string,
  at: number,
  settings: PayloadSettings,
): DealState {
  const state: DealState = {
    fingerprint: planned.fingerprint,
    matching: planned.previous?.matching ?? planned.matching,
    exists: planned.previous?.exists ?? false,
    outcome: "held",
    at,
    reason,
    request: requestHash(planned, settings),
  };
  if (planned.previous?.known) state.known = planned.previous.known;
  return state;
}

/**
 * The state of a deal in doubt (sent, outcome unknown): what was known before, "sent", and what
 * the request carried (`known`, see `knownAfter`); with the version sent when the journal could
 * later prove that it landed ({@linkcode landedShows}).
 */
export function doubtState(
  planned: PlannedDeal,
  at: number,
  settings: PayloadSettings,
  known?: Known,
): DealState {
  const state: DealState = {
    fingerprint: planned.previous?.fingerprint ?? "",
    matching: planned.previous?.matching ?? "",
    exists: planned.previous?.exists ?? false,
    outcome: "inDoubt",
    at,
  };
  const held = known ?? planned.previous?.known;
  if (held) state.known = held;
  if (landedShows(planned, settings)) state.sent = planned.fingerprint;
  return state;
}

/** Whether two doubts carry the same unknowns and prove the same (no need to journal again). */
export function sameDoubt(a: DealState | undefined, b: DealState): boolean {
  const x = a?.known;
  const y = b.known;
  return a !== undefined && x !== undefined && y !== undefined && x.status === y.status &&
    x.statusAt === y.statusAt && x.tags === y.tags && x.custom === y.custom && a.sent === b.sent;
}

/** Words of a create refused because the deal exists, or an update because it does not. */
const DISAGREEMENT = {
  create: /already[\s_-]*exists?|duplicate|уже\s+(?:существует|создан|есть|добавлен)|дублик|дубль/i,
  update:
    /not[\s_-]*found|does\s*n[o']t\s+exist|not[\s_-]*exists?|no\s+such|unknown\s+order|не\s+найден|не\s+существует|отсутствует/i,
} as const;

/**
 * The reason a held deal shows: Calltouch's answer to the method the plan chose, unless that
 * only said "exists" / "not found" (which the other method's answer then explains better).
 * The words are a shortcut for the message only, never for what is done.
 */
export function heldReason(first: Operation, refused: Partial<Record<Operation, string>>): string {
  const planned = refused[first] ?? "";
  const fallback = refused[other(first)] ?? "";
  if (
    DISAGREEMENT[first].test(planned) && fallback !== "" &&
    !DISAGREEMENT[other(first)].test(fallback)
  ) {
    return fallback;
  }
  return planned || fallback;
}

/**
 * Whether Calltouch's deals journal could later show that a request carrying `planned` landed
 * (see `DealState.sent`): the deal was not there before (a create of a deal the look-up did not
 * find), or the status it carries is not the one Calltouch held. A deal already in doubt stays
 * provable only while the same version is sent again: otherwise either version may have landed.
 */
export function landedShows(planned: PlannedDeal, settings: PayloadSettings): boolean {
  const { previous } = planned;
  if (previous?.outcome === "inDoubt") return previous.sent === planned.fingerprint;
  if (planned.absent) return true;
  const status = previous?.exists ? previous.known?.status : undefined;
  return status !== undefined && status !== knownOf(planned.deal, "status", settings.hashKey);
}
