/**
 * Reading Calltouch answers (pure): per-order results of a 2xx answer into outcomes, and the
 * reason of a whole-request refusal. Tolerant of every shape the documentation leaves open.
 */
import * as z from "zod/mini";
import { type OutcomeTexts, quoteReason } from "./messages.ts";
import type { OrderResult } from "./types.ts";

/** Which method was called. */
export type Operation = "create" | "update";

/**
 * What happened to one order:
 * - `accepted`: Calltouch took it;
 * - `exists`: create refused because the deal already exists (the sync retries as update);
 * - `notFound`: update refused because the deal is unknown (the sync retries as create);
 * - `rejected`: a permanent refusal; `message` is Calltouch's reason, for the clinic;
 * - `transient`: not done for now; `why` says whether it was not sent for lack of time
 *   (`out-of-time`) or Calltouch failed or answered unclearly (`unavailable`).
 *
 * `message` is short, ready to show, and never holds phones or e-mails.
 */
export type OrderOutcome =
  | { orderNumber: string; kind: "accepted"; calltouchOrderId?: string }
  | { orderNumber: string; kind: "exists" | "notFound" | "rejected"; message: string }
  | { orderNumber: string; kind: "transient"; why: TransientWhy; message: string };

/** Why an order was not done for now (the status cell words the two differently). */
export type TransientWhy = "unavailable" | "out-of-time";

/** A `transient` outcome. */
export function transient(orderNumber: string, why: TransientWhy, message: string): OrderOutcome {
  return { orderNumber, kind: "transient", why, message };
}

const idSchema = z.union([z.string(), z.number()]);
const orderResultSchema = z.looseObject({
  orderNumber: z.optional(z.nullable(idSchema)),
  calltouchOrderId: z.optional(z.nullable(idSchema)),
  error: z.optional(z.unknown()),
});
/** A 2xx answer: only `data.orders` must be there; extra fields are kept and ignored. */
export const ordersResponseSchema = z.looseObject({
  meta: z.optional(z.unknown()),
  data: z.looseObject({ orders: z.array(z.unknown()) }),
});

const EXISTS =
  /already[\s_-]*exists?|duplicate|уже\s+(?:существует|создан|есть|добавлен)|дублик|дубль/i;
const NOT_FOUND =
  /not[\s_-]*found|does\s*n[o']t\s+exist|not[\s_-]*exists?|no\s+such|unknown\s+order|не\s+найден|не\s+существует|отсутствует/i;
/** A lead (call/request) not found is a matching miss, not a missing deal. */
const ABOUT_LEAD = /\b(?:lead|call|request|chat)\b|лид|звон|заявк|чат/i;
const TEMPORARY =
  /internal[\s_-]*error|timeout|timed\s*out|temporar|try\s+again|later|временн|повторите|позже/i;
/** Status-like fields of a result (`updateStatus`, `createStatus`…) that spell a failure. */
const STATUS_KEY = /^[a-z]+Status$/;
const FAILED_STATUS = /error|fail|reject|not[\s_-]*found|exist/i;

interface ReadError {
  code?: string;
  message?: string;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The human words of an error object, under whichever name they came. */
function messageIn(e: Record<string, unknown>): string | undefined {
  return text(e.message) ?? text(e.description) ?? text(e.text) ?? text(e.error) ??
    text(e.detail) ?? text(e.reason);
}

/** Turns an `error` of any shape into code + message; undefined when it means "no error". */
function readError(error: unknown): ReadError | undefined {
  if (error === null || error === undefined || error === false || error === "") return undefined;
  if (typeof error === "string") return { message: error };
  if (Array.isArray(error)) {
    const parts = error.map(readError).filter((e): e is ReadError => e !== undefined);
    if (parts.length === 0) return undefined;
    return {
      code: parts.map((p) => p.code).filter(Boolean).join(", ") || undefined,
      message: parts.map((p) => p.message).filter(Boolean).join("; ") || undefined,
    };
  }
  if (typeof error === "object") {
    const e = error as Record<string, unknown>;
    const code = text(e.code) ?? text(e.errorCode) ?? text(e.type) ?? text(e.status);
    const message = messageIn(e);
    if (code !== undefined || message !== undefined) return { code, message };
    return { message: JSON.stringify(error) };
  }
  return { message: String(error) };
}

/** The error a result carries, from `error` or from a failing status-like field. */
function resultError(result: OrderResult): ReadError | undefined {
  const fromError = readError(result.error);
  if (fromError) return fromError;
  for (const [key, value] of Object.entries(result)) {
    if (STATUS_KEY.test(key) && typeof value === "string" && FAILED_STATUS.test(value)) {
      return { code: value };
    }
  }
  if (result.success === false) return { message: "success: false" };
  return undefined;
}

function reasonOf(error: ReadError, texts: OutcomeTexts): string {
  const parts = [error.code, error.message].filter((p): p is string => Boolean(p));
  const reason = parts.length === 2 && parts[1].includes(parts[0]) ? parts[1] : parts.join(": ");
  return quoteReason(reason) || texts.noReason;
}

/** Outcome of one order from its result (undefined when Calltouch sent none for it). */
export function classifyResult(
  orderNumber: string,
  result: OrderResult | undefined,
  operation: Operation,
  texts: OutcomeTexts,
): OrderOutcome {
  if (!result) return transient(orderNumber, "unavailable", texts.noResult);
  const error = resultError(result);
  if (!error) {
    const id = result.calltouchOrderId;
    return id === null || id === undefined || id === ""
      ? { orderNumber, kind: "accepted" }
      : { orderNumber, kind: "accepted", calltouchOrderId: String(id) };
  }
  const said = `${error.code ?? ""} ${error.message ?? ""}`;
  const reason = reasonOf(error, texts);
  if (operation === "create" && EXISTS.test(said)) {
    return { orderNumber, kind: "exists", message: texts.exists(reason) };
  }
  if (operation === "update" && NOT_FOUND.test(said) && !ABOUT_LEAD.test(said)) {
    return { orderNumber, kind: "notFound", message: texts.notFound(reason) };
  }
  if (TEMPORARY.test(said)) {
    return transient(orderNumber, "unavailable", texts.temporary(reason));
  }
  return { orderNumber, kind: "rejected", message: reason };
}

/**
 * Pairs each sent order with its result: by `orderNumber` when the result carries one, else by
 * position (a positional result is used only if it names no other order).
 */
export function matchResults(
  orderNumbers: readonly string[],
  results: readonly unknown[],
): (OrderResult | undefined)[] {
  const parsed = results.map((r) => {
    const p = z.safeParse(orderResultSchema, r);
    return p.success ? (p.data as OrderResult) : undefined;
  });
  const byNumber = new Map<string, OrderResult>();
  for (const result of parsed) {
    const key = result?.orderNumber;
    if (key !== undefined && key !== null && !byNumber.has(String(key))) {
      byNumber.set(String(key), result!);
    }
  }
  return orderNumbers.map((orderNumber, i) => {
    const keyed = byNumber.get(orderNumber);
    if (keyed) return keyed;
    const positional = parsed[i];
    const named = positional?.orderNumber;
    return positional && (named === undefined || named === null) ? positional : undefined;
  });
}

/**
 * Reads a 2xx body into one outcome per order; an unreadable body gives `transient` for all
 * (the request may have been applied: the sync's fallbacks heal that on the next run).
 */
export function readOrdersResponse(
  orderNumbers: readonly string[],
  body: string,
  operation: Operation,
  texts: OutcomeTexts,
): OrderOutcome[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const parsed = z.safeParse(ordersResponseSchema, json);
  if (!parsed.success) {
    return orderNumbers.map((n) => transient(n, "unavailable", texts.unreadable));
  }
  const results = matchResults(orderNumbers, parsed.data.data.orders);
  return orderNumbers.map((n, i) => classifyResult(n, results[i], operation, texts));
}

function describeItem(item: unknown): string {
  if (typeof item === "string") return item;
  if (item && typeof item === "object" && !Array.isArray(item)) {
    const e = item as Record<string, unknown>;
    const where = text(e.field) ?? text(e.path) ?? text(e.property) ?? text(e.name) ??
      text(e.parameter) ?? text(e.key);
    const what = messageIn(e);
    if (where || what) {
      return [where?.replace(/^orders\[\d+\]\.?/, ""), what].filter(Boolean).join(": ");
    }
    return Object.entries(e).map(([k, v]) => `${k}: ${describe(v)}`).join("; ");
  }
  return JSON.stringify(item) ?? String(item);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.map(describeItem).filter(Boolean).join("; ");
  return describeItem(value);
}

/**
 * The reason of a whole-request refusal (e.g. 400 with `data.validationErrorData`), in words:
 * masked, one line, bounded. Falls back to the status and the raw body.
 */
export function refusalReason(status: number, body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const data = (json as { data?: Record<string, unknown> } | undefined)?.data;
  const detail = data?.validationErrorData ?? data?.error ?? data?.message ??
    (json as Record<string, unknown> | undefined)?.error ??
    (json as Record<string, unknown> | undefined)?.message;
  const words = detail !== undefined && detail !== null ? describe(detail) : body.trim();
  return quoteReason(words || `HTTP ${status}`);
}
