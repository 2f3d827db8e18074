import assert from "node:assert/strict";
import type { JournalDeal } from "../../../src/calltouch/journal.ts";
import { compareWithJournal, differences } from "../../../src/sync/deals_journal/compare.ts";
import { makeDeal } from "../../support/deals.ts";

const same = (local: string) => local;

function found(overrides: Partial<JournalDeal> = {}): JournalDeal {
  return {
    orderNumber: "A-1",
    status: "Запись",
    orderDate: "2026-11-20T10:30:00",
    tags: [],
    attribution: { kind: "none" },
    ...overrides,
  };
}

Deno.test("differences() takes the sheet's sum for the completed or the planned one", async (t) => {
  const cases: [
    name: string,
    sheet: string | undefined,
    calltouch: Partial<JournalDeal>,
    differ: string | undefined,
  ][] = [
    ["completed equal", "3500.00", { revenue: "3500.00" }, undefined],
    ["an open deal: completed 0, planned the sum", "3500.00", {
      revenue: "0.00",
      plannedRevenue: "3500.00",
    }, undefined],
    ["planned only (no completed sum)", "3500.00", {
      revenue: "3500.00",
      plannedRevenue: "3500.00",
    }, undefined],
    ["completed equal, planned another", "3500.00", {
      revenue: "3500.00",
      plannedRevenue: "4000.00",
    }, undefined],
    [
      "neither equal",
      "3500.00",
      { revenue: "0.00", plannedRevenue: "4000.00" },
      "0.00, planned 4000.00",
    ],
    ["completed another, no planned", "3500.00", { revenue: "1.00" }, "1.00"],
    ["none in Calltouch", "3500.00", {}, "—"],
    ["none in the sheet, none in Calltouch", undefined, {}, undefined],
    ["none in the sheet, 0 in Calltouch", undefined, { revenue: "0.00" }, undefined],
    ["none in the sheet, an open deal with 0 planned", undefined, {
      revenue: "0.00",
      plannedRevenue: "0.00",
    }, undefined],
    ["none in the sheet, a sum in Calltouch", undefined, { revenue: "10.00" }, "10.00"],
  ];
  for (const [name, sheet, calltouch, differ] of cases) {
    await t.step(name, () => {
      const mismatches = differences(makeDeal({ revenue: sheet }), found(calltouch), same);
      assert.deepEqual(
        mismatches.map((m) => [m.what, m.calltouch]),
        differ === undefined ? [] : [["revenue", differ]],
      );
    });
  }
});

Deno.test("compareWithJournal() finds no sum difference for open deals whose completed sum is 0", () => {
  const deals = [makeDeal(), makeDeal({ row: 3, orderNumber: "A-2", revenue: undefined })];
  const journal = [
    found({ revenue: "0.00", plannedRevenue: "3500.00" }),
    found({ orderNumber: "A-2", revenue: "0.00" }),
  ];
  const verification = compareWithJournal(deals, journal, {
    crm: "Google Sheets",
    sheetIds: new Set(["A-1", "A-2"]),
    toProject: same,
  });
  assert.deepEqual(verification.mismatches, []);
  assert.equal(verification.checked, 2);
});

Deno.test("compareWithJournal() names every deal the journal lacks, and every deal of ours no row carries", () => {
  const deals = [
    makeDeal(),
    makeDeal({ row: 3, orderNumber: "A-2" }),
    makeDeal({ row: 4, orderNumber: "A-3" }),
  ];
  // A-2 never reached Calltouch; B-9 was sent from this sheet by an earlier version of the row.
  const journal = [
    found({ revenue: "3500.00" }),
    found({ orderNumber: "A-3", revenue: "3500.00" }),
    found({ orderNumber: "B-9", crm: "Google Sheets" }),
    found({ orderNumber: "C-1", crm: "Other CRM" }),
  ];
  const verification = compareWithJournal(deals, journal, {
    crm: "Google Sheets",
    sheetIds: new Set(["A-1", "A-2", "A-3"]),
    toProject: same,
  });
  assert.deepEqual(verification.mismatches, [
    { what: "missing", row: 3, orderNumber: "A-2" },
    { what: "extra", orderNumber: "B-9" },
  ]);
  assert.equal(verification.checked, 3);
  assert.equal(verification.crmKnown, true);
});
