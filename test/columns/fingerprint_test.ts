/**
 * fingerprint() / matchingFingerprint(): what KV keeps of every deal. The golden values below
 * were computed by the build of 82b7e55 (the last one before the column table) on the same
 * sheet: a deployment upgraded over its state must find every unchanged deal unchanged.
 */
import assert from "node:assert/strict";
import { DEAL_COLUMNS } from "../../src/columns/deal_columns.ts";
import { fingerprint, fingerprinter, matchingFingerprint } from "../../src/columns/fingerprint.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import type { AnyDealColumn } from "../../src/columns/spec.ts";
import type { CellValue, Deal } from "../../src/deal.ts";
import { FIRST_HEADER } from "../support/first_sheet.ts";

/** A fixed sheet: every kind of column of the first version, custom fields in sheet order. */
const ROWS: CellValue[][] = [
  [...FIRST_HEADER, "Врач", "Филиал", "Calltouch"],
  [
    "1001",
    "24.11.2026 10:30",
    "Записан",
    "",
    "",
    "8 (915) 777-11-22",
    "",
    "первичный, сайт",
    "Смирнова Анна",
    "Консультация",
    "Перезвонить",
    "",
    "",
    "",
  ],
  [
    "1002",
    46350.5,
    "Пришёл",
    "26.11.2026 09:00",
    "3 500",
    "8 (926) 123-45-67",
    "ivan.petrov@example.com",
    "повторный",
    "",
    "УЗИ",
    "",
    "Иванов",
    "Центр",
    "",
  ],
  [
    "1003",
    "25.11.2026 16:40",
    "Оплачено",
    "27.11.2026 18:20",
    12800,
    "8 (903) 555-44-33, 8 (495) 123-45-67",
    "",
    "",
    "Ковалёв Игорь",
    "",
    "",
    "Петров",
    "",
    "",
  ],
  [
    "1004",
    "2026-11-26 11:05",
    "Отменён",
    "",
    "",
    "",
    "m.sidorova@example.com",
    "первичный",
    "",
    "",
    "Перенесла",
    "",
    "Север",
    "",
  ],
];
const CUSTOM = [{ header: "Филиал", field: "branch" }, { header: "Врач", field: "doctor" }];
const SALT = "tz:Asia/Novosibirsk";

/** [orderNumber, fingerprint, matching, fingerprint with SALT, matching with SALT] by 82b7e55. */
const GOLDEN = [
  ["1001", "7b4taot2do", "g37z7elc1u", "2al452x47zg", "1xk5mug7hr0"],
  ["1002", "1o2j3m3m6iy", "1k5tlpoyuz0", "7jtqn1i786", "1xvf1pxv5rl"],
  ["1003", "1meia5q8znp", "14qnlwxw79b", "ubmtd6kqx6", "dypow5ye39"],
  ["1004", "2f7y6kh2j1w", "1cllsca7xgr", "1pq1h3y8oob", "1e3rpi70p52"],
];

function deals(): Deal[] {
  const sheet = parseSheet(ROWS, { customFields: CUSTOM });
  assert.ok(sheet.ok);
  assert.deepEqual(sheet.problems, []);
  return sheet.deals;
}

Deno.test("fingerprint() pins the prints stored by 82b7e55: an upgrade sends nothing again", () => {
  const prints = deals().map((deal) => [
    deal.orderNumber,
    fingerprint(deal),
    matchingFingerprint(deal),
    fingerprint(deal, SALT),
    matchingFingerprint(deal, SALT),
  ]);
  assert.deepEqual(prints, GOLDEN);
});

Deno.test("fingerprint() salts with the project's zone: a CALLTOUCH_TIME_ZONE change sends again", () => {
  for (const deal of deals()) {
    assert.notEqual(fingerprint(deal, SALT), fingerprint(deal));
    assert.notEqual(matchingFingerprint(deal, SALT), matchingFingerprint(deal));
    assert.notEqual(fingerprint(deal, "tz:Europe/Berlin"), fingerprint(deal, SALT));
  }
});

Deno.test("fingerprinter() depends on the columns' keys, never on their order", () => {
  const shuffled = [...DEAL_COLUMNS].reverse();
  const rotated = [...DEAL_COLUMNS.slice(5), ...DEAL_COLUMNS.slice(0, 5)];
  for (const columns of [shuffled, rotated]) {
    const prints = fingerprinter(columns);
    for (const deal of deals()) {
      assert.equal(prints.fingerprint(deal), fingerprint(deal));
      assert.equal(prints.matchingFingerprint(deal), matchingFingerprint(deal));
    }
  }
});

Deno.test("fingerprinter(): a column added anywhere changes only the deals that fill it", () => {
  const added = {
    ...DEAL_COLUMNS.find((c) => c.key === "manager")!,
    key: "source" as never,
  } as AnyDealColumn;
  const before = fingerprinter(DEAL_COLUMNS);
  for (const columns of [[added, ...DEAL_COLUMNS], [...DEAL_COLUMNS, added]]) {
    const after = fingerprinter(columns);
    for (const deal of deals()) {
      assert.equal(after.fingerprint(deal), before.fingerprint(deal), "empty: unchanged");
      const filled = { ...deal, source: "Яндекс" } as Deal;
      assert.notEqual(after.fingerprint(filled), before.fingerprint(filled), "filled: changed");
    }
  }
});

Deno.test("fingerprint() takes the funnel and the margin, not the row or its link", () => {
  const [deal] = deals();
  const base = fingerprint(deal);
  assert.notEqual(fingerprint({ ...deal, funnel: "Стоматология" }), base);
  assert.notEqual(fingerprint({ ...deal, margin: "1200.00" }), base);
  assert.notEqual(
    fingerprint({ ...deal, funnel: "A", margin: "1.00" }),
    fingerprint({ ...deal, funnel: "1.00", margin: "A" }),
    "values cannot move between fields",
  );
  assert.equal(fingerprint({ ...deal, row: 99 }), base, "sorting the sheet changes nothing");
  assert.equal(
    matchingFingerprint({ ...deal, funnel: "x", margin: "2.00" }),
    matchingFingerprint(deal),
  );
});

Deno.test("fingerprint() notices every field of the first version, and each custom field", () => {
  const [, deal] = deals();
  const changes: Partial<Deal>[] = [
    { orderDate: "2026-11-25T12:00:00" },
    { status: "Оплачено" },
    { statusDate: "2026-11-27T09:00:00" },
    { revenue: "3500.01" },
    { phones: ["79260000000"] },
    { emails: ["a@b.ru"] },
    { tags: ["повторный", "акция"] },
    { manager: "Иванов" },
    { orderName: "МРТ" },
    { comment: "x" },
    { custom: { doctor: "Иванов", branch: "Юг" } },
  ];
  for (const change of changes) {
    assert.notEqual(fingerprint({ ...deal, ...change }), fingerprint(deal), JSON.stringify(change));
  }
  const matching = [changes[0], changes[4], changes[5]];
  for (const change of matching) {
    assert.notEqual(matchingFingerprint({ ...deal, ...change }), matchingFingerprint(deal));
  }
  assert.equal(matchingFingerprint({ ...deal, status: "x" }), matchingFingerprint(deal));
});
