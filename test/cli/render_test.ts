/** The human output: aligned tables, capped row lists, config problems. */
import assert from "node:assert/strict";
import { MAX_LISTED_ROWS, renderError, renderRun, table } from "../../src/cli/render.ts";
import { emptyCounts, emptyRequests, type RunReport } from "../../src/sync/report.ts";

Deno.test("table() aligns columns and right-aligns numbers", () => {
  assert.equal(
    table(["row", "ID", "message"], [["2", "1001", "ok"], ["120", "7", "❌ bad"]], {
      right: [0],
      indent: "  ",
    }),
    "  row  ID    message\n    2  1001  ok\n  120  7     ❌ bad",
  );
});

Deno.test("renderRun() lists at most MAX_LISTED_ROWS rows and says how many more", () => {
  const rows = Array.from({ length: MAX_LISTED_ROWS + 5 }, (_, i) => ({
    row: i + 2,
    orderNumber: String(i),
    action: "invalid" as const,
    ok: false,
    message: "❌ problem",
  }));
  const report: RunReport = {
    ok: true,
    trigger: "manual",
    startedAt: "2026-11-28T12:00:00.000Z",
    durationMs: 1500,
    counts: { ...emptyCounts(), rows: rows.length, invalid: rows.length },
    requests: emptyRequests(),
    rows,
  };
  const text = renderRun(report, { statePath: "s.json" });
  assert.match(text, new RegExp(`Rows that need attention \\(${MAX_LISTED_ROWS + 5}\\):`));
  assert.match(text, /… and 5 more \(all of them with --json\)/);
  assert.match(text, /1\.5 s/);
  assert.match(text, /Exit 1: 105 invalid\.\n$/);
  assert.doesNotMatch(text, /quiet/);
  assert.match(
    renderRun({ ...report, quiet: true }, { statePath: "s.json" }),
    /^sync: .* · quiet: the sheet is as the last run left it\n/,
  );
});

Deno.test("renderRun() speaks Russian with --language ru, and English by default", () => {
  const report: RunReport = {
    ok: true,
    trigger: "manual",
    startedAt: "2026-11-28T12:00:00.000Z",
    durationMs: 1500,
    counts: { ...emptyCounts(), rows: 3, created: 1, unchanged: 1, invalid: 1 },
    requests: emptyRequests(),
    rows: [{ row: 4, orderNumber: "7", action: "invalid", ok: false, message: "❌ C4 (Сумма): …" }],
  };
  const ru = renderRun(report, { statePath: "s.json", language: "ru" });
  assert.match(ru, /^sync: .* · 1\.5 с · настройки из переменных окружения · состояние s\.json\n/);
  assert.ok(ru.includes("Строки, которые требуют внимания (1):\n  строка  ID  сообщение\n"), ru);
  assert.match(ru, /запросы: Google — чтений листа 0/);
  assert.match(ru, /Код 1: с ошибками: 1\.\n$/);
  assert.doesNotMatch(ru, /Rows|Exit|requests/);
  assert.match(renderRun(report, { statePath: "s.json" }), /Exit 1: 1 invalid\.\n$/);
});

Deno.test("renderError() lists every settings problem and says where to set them", () => {
  const text = renderError(
    { kind: "config", message: "Invalid settings", problems: ["A is missing", "B is bad"] },
    { settingsFile: ".dev.vars" },
  );
  assert.equal(
    text,
    "Settings problems (2):\n  - A is missing\n  - B is bad\n" +
      "Set them in the environment or .dev.vars (see --help).",
  );
});
