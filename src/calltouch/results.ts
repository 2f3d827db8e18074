/**
 * Reading Calltouch answers (pure). Everything beyond the request shape is undocumented, so the
 * reading is built to be right under every plausible answer, never on the wording of one:
 * - a `2xx` answer means every order in it was accepted, unless a per-order result (or an
 *   explicit whole-answer failure flag) says otherwise for it;
 * - a per-order result is a refusal when it carries an error of any shape, `success: false`, or
 *   a status-like field that spells a failure;
 * - a refusal's words are Calltouch's human reason, never a JSON dump.
 *
 * What the sync does with a refusal (retry with the other method, then hold) lives in
 * `src/sync/send.ts`; nothing here decides by the text of an error.
 */
import { quoteReason } from "./quote.ts";

/** Which method was called. */
export type Operation = "create" | "update";

/** What Calltouch said about one order of a `2xx` answer. */
export type OrderReading =
  | { kind: "accepted"; calltouchOrderId?: string }
  /** `reason`: Calltouch's words, masked and cut; "" when it gave none. */
  | { kind: "refused"; reason: string };

/**
 * One reading per order sent, in the order sent; `undefined` for an order whose result cannot be
 * told apart from another's (results without order numbers, fewer or more than the orders, and
 * one of them an error): the sync then sends smaller requests, whose answers are unambiguous.
 */
export type OrderReadings = (OrderReading | undefined)[];

/** A whole-request refusal, read. */
export interface Refusal {
  /** Calltouch's words (masked, one line, cut), or `HTTP <status>` when it gave none. */
  reason: string;
  /**
   * Whether the body is Calltouch's JSON envelope (`{"meta":…,"data":…}`). A `404` that is not
   * is how a wrong `CALLTOUCH_API_URL` answers, once both methods answer it so.
   */
  calltouchBody: boolean;
}

/**
 * Status fields of a result (`updateStatus`, `createStatus`, like the documented `deleteStatus`
 * of a sibling method). Not `status`: a result may echo the deal's own status ("Отказ").
 */
const STATUS_KEY = /^[a-z]+Status$/;
/** Values of such fields that spell a failure. Any other value is no failure (2xx rule). */
const FAILED_STATUS = /error|fail|reject|refus|invalid|denied|not[\s_-]*found|exist|ошиб|отказ/i;

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value that says nothing: null, false, 0, "", blank text, an empty array or object. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.every(isEmpty);
  if (isObject(value)) return Object.values(value).every(isEmpty);
  return false;
}

/** Keys whose text is a human reason, in order of preference. */
const MESSAGE_KEYS = [
  "message",
  "description",
  "errorMessage",
  "error_description",
  "detail",
  "text",
  "reason",
  "title",
];
/** Keys that name where the problem is (a field of the order). */
const WHERE_KEYS = ["field", "path", "property", "parameter", "param", "name", "key"];
/** Keys holding a machine code, used only when no words come with it. */
const CODE_KEYS = ["code", "errorCode", "type"];

function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * The human words of an error of any shape: strings as they are; objects by their message (with
 * the field it names), else their code, else their nested errors; arrays joined. Never JSON.
 */
export function describeError(value: unknown, depth = 0): string {
  if (depth > 4 || isEmpty(value)) return "";
  const text = scalarText(value);
  if (text !== undefined) return typeof value === "string" ? text : "";
  if (Array.isArray(value)) {
    const parts = value.map((item) => describeError(item, depth + 1)).filter(Boolean);
    return [...new Set(parts)].join("; ");
  }
  if (!isObject(value)) return "";
  const message = MESSAGE_KEYS.map((k) => describeError(value[k], depth + 1)).find(Boolean);
  const where = WHERE_KEYS.map((k) => scalarText(value[k])).find(Boolean)
    ?.replace(/^orders\[\d+\]\.?/, "");
  if (message) return where && !message.includes(where) ? `${where}: ${message}` : message;
  for (const key of ["error", "errors", "validationErrorData", "data", "meta"]) {
    const nested = describeError(value[key], depth + 1);
    if (nested) return where ? `${where}: ${nested}` : nested;
  }
  const code = CODE_KEYS.map((k) => scalarText(value[k])).find(Boolean);
  if (code) return where ? `${where}: ${code}` : code;
  // An object of field → problem: {"revenue": "must be a string"}.
  const pairs = Object.entries(value)
    .map(([key, item]) => [key, describeError(item, depth + 1)])
    .filter(([, words]) => words)
    .map(([key, words]) => `${key}: ${words}`);
  return pairs.join("; ");
}

/** The words of a failed per-order result: its first message that is not empty. */
function resultWords(result: Record<string, unknown>): string {
  return quoteReason(describeError(MESSAGE_KEYS.map((k) => result[k]).find((v) => !isEmpty(v))));
}

/** The refusal a per-order result spells, or undefined when it spells none. */
function resultRefusal(result: Record<string, unknown>): { reason: string } | undefined {
  // Runs for every order of every answer: no array or closure made for an accepted one.
  if ("error" in result && !isEmpty(result.error)) {
    return { reason: quoteReason(describeError(result.error)) };
  }
  if ("errors" in result && !isEmpty(result.errors)) {
    return { reason: quoteReason(describeError(result.errors)) };
  }
  if (result.success === false || result.ok === false || result.imported === false) {
    return { reason: resultWords(result) };
  }
  // for…in over a parsed object: its own keys, with no array of entries per order.
  for (const key in result) {
    const value = result[key];
    if (typeof value === "string" && STATUS_KEY.test(key) && FAILED_STATUS.test(value)) {
      return { reason: resultWords(result) || quoteReason(value) };
    }
  }
  return undefined;
}

function readResult(result: unknown): OrderReading {
  if (!isObject(result)) {
    // A bare string is an error's words; true/null/"" say nothing against the 2xx.
    if (typeof result === "string" && result.trim() !== "") {
      return { kind: "refused", reason: quoteReason(result) };
    }
    if (result === false) return { kind: "refused", reason: "" };
    return { kind: "accepted" };
  }
  const refusal = resultRefusal(result);
  if (refusal) return { kind: "refused", reason: refusal.reason };
  const id = scalarText(result.calltouchOrderId ?? result.orderId ?? result.id);
  return id === undefined ? { kind: "accepted" } : { kind: "accepted", calltouchOrderId: id };
}

function orderNumberOf(result: unknown): string | undefined {
  return isObject(result) ? scalarText(result.orderNumber) : undefined;
}

/** The per-order results of a body, if it has any (`data.orders`, `orders`, or keyed by number). */
function resultsIn(json: unknown): unknown[] | undefined {
  if (!isObject(json)) return undefined;
  const data = isObject(json.data) ? json.data : json;
  const orders = data.orders ?? data.results;
  if (Array.isArray(orders)) return orders;
  if (isObject(orders)) {
    // Keyed by order number: {"A-1": {...}}.
    return Object.entries(orders).map(([orderNumber, result]) =>
      isObject(result) ? { orderNumber, ...result } : { orderNumber, error: result }
    );
  }
  return undefined;
}

/**
 * An explicit failure of a `2xx` answer as a whole, when it has no per-order results:
 * `success: false` (at the top or in `data`), an `error` or `validationErrorData` that is not
 * empty, or a `meta.status` of 400 and more. Taking such an answer for success would lose the
 * orders silently; taking it for a refusal only costs a retry with the other method.
 */
function wholeAnswerFailed(json: unknown): boolean {
  if (!isObject(json)) return false;
  const data = isObject(json.data) ? json.data : {};
  const meta = isObject(json.meta) ? json.meta : {};
  const status = Number(meta.status ?? meta.code);
  return json.success === false || data.success === false || (status >= 400 && status < 600) ||
    !isEmpty(json.error) || !isEmpty(data.error) || !isEmpty(data.validationErrorData);
}

/**
 * Reads a `2xx` body into one reading per order (see {@linkcode OrderReadings}), or a
 * {@linkcode Refusal} when the answer as a whole says it failed.
 *
 * Results are paired with orders by their `orderNumber` (string or number) when they carry one,
 * else by position when there are as many results as orders. No shape of body leaves an order
 * without a reading but the ambiguous one: a missing `data`, `data: null`, no or empty results,
 * an empty body and a non-JSON body all mean "every order accepted".
 *
 * @example
 * readAcceptedAnswer(["A-1", "A-2"], '{"data":{"orders":[{"error":null},{"error":"bad"}]}}');
 * // [{ kind: "accepted" }, { kind: "refused", reason: "bad" }]
 */
export function readAcceptedAnswer(
  orderNumbers: readonly string[],
  body: string,
): OrderReadings | Refusal {
  const json = parseJson(body);
  const results = resultsIn(json) ?? [];
  const accepted: OrderReading = { kind: "accepted" };
  if (results.length === 0) {
    if (wholeAnswerFailed(json)) {
      return { reason: refusalReason(0, body).reason, calltouchBody: true };
    }
    return orderNumbers.map(() => accepted);
  }

  const byNumber = new Map<string, unknown>();
  const unkeyed: { index: number; result: unknown }[] = [];
  results.forEach((result, index) => {
    const key = orderNumberOf(result);
    if (key === undefined) unkeyed.push({ index, result });
    else if (!byNumber.has(key)) byNumber.set(key, result);
  });
  const positional = results.length === orderNumbers.length;
  // Unkeyed results that cannot be paired by position: ambiguous only if one is an error.
  const ambiguous = !positional &&
    unkeyed.some(({ result }) => readResult(result).kind !== "accepted");
  return orderNumbers.map((orderNumber, i) => {
    if (byNumber.has(orderNumber)) return readResult(byNumber.get(orderNumber));
    if (positional) {
      const result = results[i];
      const named = orderNumberOf(result);
      // A positional result that names another order is that order's, not this one's.
      return named === undefined || named === orderNumber ? readResult(result) : accepted;
    }
    return ambiguous ? undefined : accepted;
  });
}

/**
 * Reads a whole-request refusal (a `4xx` such as 400 with `data.validationErrorData`): the human
 * reason wherever it sits (`validationErrorData`, `meta.message`, `error.message`, `message`,
 * `errors` …), masked, one line, cut; `HTTP <status>` when there are no words. An HTML page
 * gives no words.
 */
export function refusalReason(status: number, body: string): Refusal {
  const json = parseJson(body);
  const calltouchBody = isObject(json) && ("data" in json || "meta" in json);
  let words = "";
  if (isObject(json)) {
    const data = isObject(json.data) ? json.data : {};
    const meta = isObject(json.meta) ? json.meta : {};
    for (
      const candidate of [
        data.validationErrorData,
        data.errors,
        data.error,
        data.message,
        meta.message,
        meta.error,
        json.error,
        json.errors,
        json.message,
        json.detail,
        json.title,
      ]
    ) {
      words = describeError(candidate);
      if (words) break;
    }
  } else if (json === undefined) {
    const text = body.trim();
    if (!text.startsWith("<")) words = text.split("\n")[0];
  }
  // A Spring-style error names the status in words ("Not Found"): say it with the number.
  const reason = quoteReason(words);
  return {
    reason: reason || (status > 0 ? `HTTP ${status}` : ""),
    calltouchBody,
  };
}
