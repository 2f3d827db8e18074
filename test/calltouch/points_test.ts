import assert from "node:assert/strict";
import {
  CALLTOUCH_DAY_ZONE,
  NEW_DAY_MARGIN_MS,
  nextCalltouchDay,
  pointsSpentIn,
} from "../../src/calltouch/points.ts";
import { instantOf } from "../../src/util/zones.ts";
import { POINTS_REFUSALS } from "../emulators/calltouch.ts";

Deno.test("pointsSpentIn() reads every plausible form of the daily points refusal", () => {
  const spent: [number, unknown][] = [
    ...Object.entries(POINTS_REFUSALS).map(([status, body]): [number, unknown] => [
      Number(status),
      body,
    ]),
    [429, "Daily limit of API requests exceeded"],
    [402, { error: { code: "POINTS", message: "Not enough API points" } }],
    [400, { data: { validationErrorData: [{ message: "Исчерпан дневной лимит запросов" }] } }],
    [200, { success: false, message: "Лимит баллов на сутки исчерпан" }],
  ];
  for (const [status, body] of spent) {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    assert.equal(pointsSpentIn(status, text), true, `${status} ${text}`);
  }
});

Deno.test("pointsSpentIn() is not fooled by other refusals or by a success", () => {
  const other: [number, unknown][] = [
    [429, { meta: {}, data: { error: "Too many requests" } }],
    [403, { meta: {}, data: { error: "Forbidden" } }],
    [401, { meta: {}, data: { error: "Unauthorized" } }],
    [400, { data: { validationErrorData: [{ message: "Превышен лимит длины комментария" }] } }],
    [503, "<html>Service Unavailable</html>"],
    // A 200 that did not fail is not a refusal, whatever it mentions.
    [200, { data: { orders: [{ orderNumber: "A1", comment: "баллы лояльности" }] } }],
    [200, { meta: {}, data: { success: true } }],
    // Refusals that quote what was sent: the clinic's words, not Calltouch's about its day.
    [400, { data: { validationErrorData: [{ message: "Недопустимый тег 'Оплата баллами'" }] } }],
    [400, { data: { error: "unknown status «Списание баллов»" } }],
    [422, { message: 'invalid value "points" of field tags' }],
    [502, "<html><body>Bad gateway: points-api is down</body></html>"],
    [503, { meta: { status: 503, message: "Daily limit service unavailable" } }],
  ];
  for (const [status, body] of other) {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    assert.equal(pointsSpentIn(status, text), false, `${status} ${text}`);
  }
});

Deno.test("nextCalltouchDay() is the next midnight in Moscow, a few minutes after", () => {
  const moscow = (local: string) => instantOf(local, CALLTOUCH_DAY_ZONE);
  const cases: [string, string][] = [
    ["2026-11-28T15:00:00", "2026-11-29T00:00:00"],
    ["2026-11-28T23:59:59", "2026-11-29T00:00:00"],
    ["2026-11-29T00:00:00", "2026-11-30T00:00:00"],
    ["2026-12-31T22:00:00", "2027-01-01T00:00:00"],
  ];
  for (const [now, midnight] of cases) {
    assert.equal(nextCalltouchDay(moscow(now)), moscow(midnight) + NEW_DAY_MARGIN_MS, now);
  }
});
