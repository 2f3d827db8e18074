/**
 * Calltouch's daily budget of "API points" ("Система баллов API": each project gets a number
 * of points a day, and each successful request spends some). How Calltouch answers once they
 * are spent is not documented, so every plausible form is read as that: a 429, a 403 or any
 * other refusal, or a `2xx` whose body says the request failed, when its words speak of points
 * or of a daily limit. Such an answer is not a refused deal (❌) and not an outage worth
 * retrying at once: the run stops sending, its deals wait (⏳), and no request goes to the
 * project until its next day begins (see `sync/rest.ts`). Pure.
 */
import type { Language } from "../deal.ts";
import { UpstreamError } from "../util/errors.ts";
import { instantOf, wallClockAt } from "../util/zones.ts";
import { CALLTOUCH_DAY_ZONE, NEW_DAY_MARGIN_MS } from "../util/calltouch_day.ts";
import { words } from "../words/mod.ts";
import { refusalReason } from "./results.ts";

export { CALLTOUCH_DAY_ZONE, NEW_DAY_MARGIN_MS };

/**
 * Words of a spent daily budget: points (`баллы`, `points`), or a limit or quota of a day
 * (`суточный лимит`, `лимит на сегодня`, `daily limit`). A limit of something else ("лимит
 * длины комментария") or a plain rate limit ("Too many requests") is not one.
 */
const POINTS_WORDS = new RegExp(
  [
    "балл",
    "\\bpoints?\\b",
    "(?:суточн|дневн|ежедневн)\\S*\\s+(?:лимит|квот|огранич)",
    "(?:лимит|квот)\\S*\\s+(?:\\S+\\s+)?(?:на\\s+)?(?:сутки|день|сегодня)",
    "\\bdaily\\s+(?:api\\s+)?(?:limit|quota)",
    "\\b(?:limit|quota)\\s+(?:per|for\\s+the)\\s+day\\b",
  ].join("|"),
  "i",
);

/**
 * Whether an answer (status and body) says the project's daily points are spent: a refusal
 * (4xx/5xx) or a `2xx` that says it failed as a whole, whose words speak of points or of a daily
 * limit.
 *
 * @example
 * pointsSpentIn(429, '{"data":{"error":"Исчерпан суточный лимит баллов API"}}'); // true
 * pointsSpentIn(429, '{"data":{"error":"Too many requests"}}'); // false: the per-second rate
 */
export function pointsSpentIn(status: number, body: string): boolean {
  // A 5xx is an outage (retried, its deals in doubt), not a refusal of the day's requests.
  if (status >= 500) return false;
  if (status >= 200 && status < 300 && !saysFailed(body)) return false;
  // Calltouch's own words only: a refusal that quotes what was sent ("Оплата баллами" in a
  // tag, a status named so) must not put the whole project to rest for the day.
  const { reason } = refusalReason(status, body);
  return POINTS_WORDS.test(withoutQuotes(reason));
}

/** The text with every quoted part (`'…'`, `"…"`, `«…»`, `“…”`) taken out. */
function withoutQuotes(text: string): string {
  return text.replace(/'[^']*'|"[^"]*"|«[^»]*»|“[^”]*”/g, " ");
}

/** A `2xx` body that says the request failed as a whole (`success: false`, an `error`…). */
function saysFailed(body: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof json !== "object" || json === null) return false;
  const j = json as Record<string, unknown>;
  const data = (typeof j.data === "object" && j.data !== null ? j.data : {}) as Record<
    string,
    unknown
  >;
  const meta = (typeof j.meta === "object" && j.meta !== null ? j.meta : {}) as Record<
    string,
    unknown
  >;
  const status = Number(meta.status ?? meta.code);
  return j.success === false || data.success === false || (status >= 400 && status < 600) ||
    Boolean(j.error) || Boolean(data.error);
}

/**
 * When the project's next day begins (epoch ms), with {@linkcode NEW_DAY_MARGIN_MS}: the next
 * midnight of {@linkcode CALLTOUCH_DAY_ZONE} after `now`.
 */
export function nextCalltouchDay(now: number): number {
  const today = wallClockAt(now, CALLTOUCH_DAY_ZONE).slice(0, 10);
  const [y, m, d] = today.split("-").map(Number);
  const tomorrow = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return instantOf(`${tomorrow}T00:00:00`, CALLTOUCH_DAY_ZONE) + NEW_DAY_MARGIN_MS;
}

/**
 * Calltouch refused a request because the project's daily points are spent: nothing is sent
 * to it before `resumesAt` (epoch ms). Not retryable within the run.
 */
export class PointsSpent extends UpstreamError {
  readonly resumesAt: number;

  constructor(language: Language, resumesAt: number, status?: number) {
    super(words(language).calltouch.pointsSpent(), {
      upstream: "calltouch",
      status,
      retryable: false,
    });
    this.resumesAt = resumesAt;
  }
}
