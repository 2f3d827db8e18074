import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { type ParsedSheetOk, parseSheet } from "../../src/sheet/parse.ts";
import { claimAfterRun, type SettledRun } from "../../src/sync/claim.ts";
import { fingerprint, matchingFingerprint } from "../../src/sync/fingerprint.ts";
import { planSync } from "../../src/sync/plan.ts";
import { QUIET_MAX_ROWS, scanSheet, sheetDigest } from "../../src/sync/quiet.ts";
import { emptyCounts } from "../../src/sync/report.ts";
import type { SyncState } from "../../src/sync/state.ts";
import type { RowStatus } from "../../src/sync/status-text.ts";
import { statusCells } from "../../src/sync/write-back.ts";

const AT = Date.UTC(2026, 10, 28, 9);
const OPTIONS = { language: "ru" as const, timeZone: "Europe/Moscow", now: AT };
const tab = (): CellValue[][] => [
  ["ID сделки", "Дата сделки", "Статус", "Телефон", "Calltouch"],
  [1001, "20.11.2026 10:30", "Запись", "8 915 777-11-22"],
  [1002, "31.02.2026", "Визит", "8 915 777-11-23"],
];

/** One run of `tab()`: deal 1001 sent with `status` (state updated as `sendPlan` does). */
function settledRun(status: RowStatus | undefined, state: SyncState = new Map()): SettledRun {
  const values = tab();
  const sheet = parseSheet(values) as ParsedSheetOk;
  const plan = planSync(sheet.deals, state);
  const statuses = new Map<string, RowStatus>();
  if (status) {
    statuses.set("1001", status);
    const deal = sheet.deals[0];
    if (status.kind === "created") {
      state.set("1001", {
        fingerprint: fingerprint(deal),
        matching: matchingFingerprint(deal),
        exists: true,
        outcome: "created",
        at: status.at,
      });
    }
  }
  const { cells, rows } = statusCells(sheet, plan, statuses, OPTIONS);
  const written = new Map(cells.map((cell) => [cell.row, cell.text]));
  const counts = {
    ...emptyCounts(),
    rows: 2,
    invalid: 1,
    created: status?.kind === "created" ? 1 : 0,
    unchanged: plan.unchanged.length,
  };
  return {
    sheet,
    state,
    plan,
    cells,
    counts,
    rows,
    scan: scanSheet(values)!,
    written,
    context: "ctx",
    version: "1/run",
    cellOptions: OPTIONS,
  };
}

Deno.test("claimAfterRun: a created deal is unchanged next time, and the digest has its status", () => {
  const run = settledRun({ kind: "created", at: AT });
  const claim = claimAfterRun(run)!;
  assert.ok(claim);
  assert.deepEqual(claim.counts, { ...emptyCounts(), rows: 2, invalid: 1, unchanged: 1 });
  assert.deepEqual(claim.rows.map((row) => [row.row, row.action]), [[3, "invalid"]]);
  assert.equal(claim.state, "1/run");
  assert.equal(claim.digest, sheetDigest(run.scan, "ctx", run.written));
  // The tab as it is after the writes hashes to the claimed digest.
  const after = tab();
  for (const [row, text] of run.written) after[row - 1][4] = text;
  assert.equal(claim.digest, sheetDigest(scanSheet(after)!, "ctx"));
});

Deno.test("claimAfterRun: an idle run claims its own report", () => {
  const created = settledRun({ kind: "created", at: AT });
  const idle = settledRun(undefined, created.state);
  const claim = claimAfterRun(idle)!;
  assert.equal(claim.counts.unchanged, 1);
  assert.deepEqual(claim.rows, idle.rows);
});

Deno.test("claimAfterRun: no claim when the next run would still send or write", async (t) => {
  await t.step("a sent deal the state does not hold (it would be sent again)", () => {
    const run = settledRun({ kind: "created", at: AT });
    run.state.clear();
    assert.equal(claimAfterRun(run), undefined);
  });
  await t.step("a status the next run would render differently", () => {
    const run = settledRun({ kind: "created", at: AT });
    run.state.get("1001")!.at = AT + 60_000;
    assert.equal(claimAfterRun(run), undefined);
  });
  await t.step("more report rows than a claim carries", () => {
    const run = settledRun({ kind: "created", at: AT });
    run.rows = Array.from({ length: QUIET_MAX_ROWS + 1 }, (_, i) => ({
      row: i + 2,
      action: "invalid" as const,
      ok: false,
      message: "❌",
    }));
    run.plan = { ...run.plan, create: [] };
    assert.equal(claimAfterRun(run), undefined);
  });
});
