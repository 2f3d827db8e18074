/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import assert from "node:assert/strict";
import {
  ForbiddenPage,
  MAX_TABLE_ROWS,
  StatusPage,
  TargetsPage,
  ThrottledPage,
} from "../../src/http/status_page.tsx";
import { quotaFit } from "../../src/schedule.ts";
import type { RunReport } from "../../src/sync/report.ts";

function report(rows: number): RunReport {
  return {
    ok: true,
    trigger: "manual",
    startedAt: "2026-11-30T05:00:00.000Z",
    durationMs: 1000,
    counts: {
      rows,
      created: 0,
      updated: 0,
      unchanged: 0,
      held: 0,
      invalid: rows,
      failed: 0,
      retrying: 0,
    },
    requests: {
      sheetsRead: 1,
      sheetsMetadata: 1,
      sheetsWrite: 1,
      token: 0,
      calltouch: 0,
      kvRead: 1,
      kvWrite: 1,
    },
    rows: Array.from({ length: rows }, (_, i) => ({
      row: i + 2,
      action: "invalid" as const,
      ok: false,
      message: `❌ B${i + 2}: нет даты`,
      cell: `B${i + 2}`,
    })),
  };
}

Deno.test("StatusPage shows at most MAX_TABLE_ROWS rows per table, and says how many more", async () => {
  const run = report(MAX_TABLE_ROWS + 50);
  const html = String(
    await (
      <StatusPage
        language="ru"
        history={[run]}
        timeZone="Europe/Moscow"
        target={{ spreadsheetId: "1AbC", tab: "", siteId: "1" }}
        result={{ action: "sync", report: run }}
      />
    ),
  );
  const rows = html.match(/<tr class="row-attention">/g) ?? [];
  assert.equal(rows.length, MAX_TABLE_ROWS, "the result's table only: each row once a page");
  assert.match(html, /…и ещё 50: все строки — в столбце «Calltouch» таблицы\./);
  assert.match(html, /href="https:\/\/docs\.google\.com\/spreadsheets\/d\/1AbC\/edit#range=B2"/);
});

Deno.test("StatusPage lists each row needing attention once, with or without a result", async () => {
  const run = report(3);
  const page = (result?: boolean) => (
    <StatusPage
      language="ru"
      history={[run]}
      timeZone="Europe/Moscow"
      target={{ spreadsheetId: "1AbC", tab: "", siteId: "1" }}
      result={result ? { action: "sync", report: run } : undefined}
    />
  );
  for (const result of [false, true]) {
    const html = String(await page(result));
    assert.equal(html.split("❌ B3: нет даты").length - 1, 1, `result shown: ${result}`);
  }
});

Deno.test("StatusPage names the tab a run read, and says durations in the page's language", async () => {
  const target = { spreadsheetId: "1AbC", tab: "", siteId: "12345" };
  const before = String(
    await <StatusPage language="ru" history={[]} timeZone="Europe/Moscow" target={target} />,
  );
  assert.match(before, /Первый лист таблицы → проект Calltouch 12345/);
  const run = { ...report(0), tab: "Сделки", durationMs: 612 };
  const after = (language: "ru" | "en") => (
    <StatusPage language={language} history={[run]} timeZone="Europe/Moscow" target={target} />
  );
  const ru = String(await after("ru"));
  assert.match(ru, /Лист «Сделки» → проект Calltouch 12345/);
  assert.match(ru, />0,6 с</);
  const en = String(await after("en"));
  assert.match(en, /Tab «Сделки» → Calltouch project 12345/);
  assert.match(en, />0\.6 s</);
});

Deno.test("ForbiddenPage links to the panels the key opens, and to nothing else", async () => {
  const html = String(await <ForbiddenPage language="ru" targets={["filial-1", "a&b"]} />);
  assert.match(html, /<h1>Этот ключ не открывает эту страницу<\/h1>/);
  assert.match(html, /<a href="\/\?target=filial-1">filial-1<\/a>/);
  assert.match(html, /<a href="\/\?target=a%26b">a&amp;b<\/a>/);
  assert.match(html, /окне инкогнито/);
  const en = String(await <ForbiddenPage language="en" targets={["x"]} />);
  assert.match(en, /opens only its own clinic(&#39;|')s panel/);
});

Deno.test("ThrottledPage says how many minutes to wait, rounded up", async () => {
  const html = String(await <ThrottledPage language="ru" seconds={61} />);
  assert.match(html, /Попробуйте снова через 2 мин\./);
  assert.match(
    String(await <ThrottledPage language="en" seconds={600} />),
    /Try again in 10 min\./,
  );
});

Deno.test("TargetsPage says how many targets one tick serves within Google's quota", async () => {
  const many = Array.from({ length: 100 }, (_, i) => ({
    id: `t${i}`,
    account: "sync@clinics.iam.gserviceaccount.com",
  }));
  const at = Date.UTC(2026, 10, 28, 12);
  const page = (quota: ReturnType<typeof quotaFit> | undefined, language: "ru" | "en" = "ru") => (
    <TargetsPage language={language} timeZone="UTC" targets={[]} problems={[]} quota={quota} />
  );
  const tight = String(await page(quotaFit(many, "*/5 * * * *", at)));
  assert.match(tight, /при расписании \*\/5 \* \* \* \* один запуск успевает 75 из 100 таблиц/);
  assert.match(tight, /каждая синхронизируется раз в 10 мин/);
  assert.match(tight, /расписание \*\/10 \* \* \* \* \(`crons` в `wrangler\.toml`\).*всего 2\./);
  const roomy = String(await page(quotaFit(many.slice(0, 20), "*/5 * * * *", at), "en"));
  assert.match(roomy, /one run serves 20 of 20 sheets: all of them\./);
  assert.doesNotMatch(roomy, /To sync each one/);
  assert.match(String(await page(undefined)), /после первого запуска по расписанию/);
});
