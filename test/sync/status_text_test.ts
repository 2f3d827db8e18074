import assert from "node:assert/strict";
import { formatDateTime, MAX_STATUS_LENGTH, statusText } from "../../src/sync/status_text.ts";

const AT = Date.UTC(2026, 10, 28, 12, 5); // 15:05 in Moscow, 17:05 in Yekaterinburg
const ru = { language: "ru" as const, timeZone: "Europe/Moscow" };

Deno.test("statusText() renders every kind of status in Russian", () => {
  assert.equal(statusText({ kind: "created", at: AT }, ru), "✅ создана 28.11.2026 15:05");
  assert.equal(statusText({ kind: "updated", at: AT }, ru), "✅ обновлена 28.11.2026 15:05");
  assert.equal(
    statusText({ kind: "held", reason: "неизвестный статус." }, ru),
    "❌ Calltouch не принял сделку: неизвестный статус. Исправьте строку — мы отправим её снова.",
  );
  assert.equal(
    statusText({ kind: "invalid", message: "Не указан статус (C5)" }, ru),
    "❌ Не указан статус (C5)",
  );
  assert.equal(
    statusText({ kind: "pending", why: "unavailable", at: AT }, ru),
    "⏳ Calltouch не ответил (28.11.2026 15:05), повторим автоматически",
  );
  assert.match(statusText({ kind: "pending", why: "out-of-time", at: AT }, ru), /^⏳ не успели/);
});

Deno.test("statusText() renders English when asked", () => {
  assert.equal(
    statusText({ kind: "created", at: AT }, { language: "en", timeZone: "UTC" }),
    "✅ created 28.11.2026 12:05",
  );
});

Deno.test("formatDateTime() shows the spreadsheet's wall clock", () => {
  assert.equal(formatDateTime(AT, "Europe/Moscow"), "28.11.2026 15:05");
  assert.equal(formatDateTime(AT, "Asia/Yekaterinburg"), "28.11.2026 17:05");
  assert.equal(formatDateTime(Date.UTC(2026, 11, 31, 21, 30), "Europe/Moscow"), "01.01.2027 00:30");
});

Deno.test("statusText() keeps cells short", () => {
  const text = statusText({ kind: "invalid", message: "x".repeat(5_000) }, ru);
  assert.equal(text.length, MAX_STATUS_LENGTH);
  assert.ok(text.endsWith("…"));
});
