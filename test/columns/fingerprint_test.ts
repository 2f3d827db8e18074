/**
 * fingerprint() / matchingFingerprint(): what KV keeps of every deal. The unkeyed golden values
 * below were computed by the build of 82b7e55 (the last one before the column table) on the same
 * sheet: a deployment upgraded over its state must recognise every unchanged deal (`LEGACY`, the
 * form before issue 22, is kept to recognise them). The keyed ones pin what this build stores: a
 * change to them would send every deal again.
 */
import assert from "node:assert/strict";
import { DEAL_COLUMNS } from "../../src/columns/deal_columns.ts";
import {
  fingerprint,
  fingerprinter,
  fingerprintTexts,
  matchingFingerprint,
} from "../../src/columns/fingerprint.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import type { AnyDealColumn } from "../../src/columns/spec.ts";
import type { CellValue, Deal } from "../../src/deal.ts";
import { FIRST_HEADER } from "../support/first_sheet.ts";
import { hashText, LEGACY } from "../../src/util/hash.ts";
import { OTHER_KEY, TEST_KEY } from "../support/keys.ts";

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

/** The same deals' prints under {@linkcode TEST_KEY}, as this build stores them. */
const GOLDEN_KEYED = [
  ["1001", "23hdjyeznn", "cag2ybpqse", "1lpaw41gs7w", "1z8srmarlox"],
  ["1002", "10tuja4pubc", "1jxx3jy15yh", "2c0zud2sgp0", "29r32jgral5"],
  ["1003", "120oevxfiiq", "2dhh1bqspbv", "1i0iyl1qs5n", "148hwhzu632"],
  ["1004", "y1768gb6nj", "29wn7jhankk", "2548kk7emo1", "2gm9ejkokk8"],
];

const printsUnder = (key: typeof TEST_KEY | typeof LEGACY) =>
  deals().map((deal) => [
    deal.orderNumber,
    fingerprint(deal, key),
    matchingFingerprint(deal, key),
    fingerprint(deal, key, SALT),
    matchingFingerprint(deal, key, SALT),
  ]);

Deno.test("fingerprint() under LEGACY gives the prints stored by 82b7e55: an upgrade recognises them", () => {
  assert.deepEqual(printsUnder(LEGACY), GOLDEN);
});

Deno.test("fingerprint() pins the keyed prints: this build's state is recognised by the next", () => {
  assert.deepEqual(printsUnder(TEST_KEY), GOLDEN_KEYED);
});

Deno.test("fingerprintTexts(), the plan's way to both prints, gives the same pinned prints", () => {
  const prints = deals().map((deal) => {
    const plain = fingerprintTexts(deal);
    const salted = fingerprintTexts(deal, SALT);
    return [
      deal.orderNumber,
      hashText(TEST_KEY, plain.fingerprint),
      hashText(TEST_KEY, plain.matching),
      hashText(TEST_KEY, salted.fingerprint),
      hashText(TEST_KEY, salted.matching),
    ];
  });
  assert.deepEqual(prints, GOLDEN_KEYED);
});

Deno.test("fingerprint() depends on the key: another key, or none, gives other prints", () => {
  const keyed = printsUnder(TEST_KEY).flatMap(([, ...prints]) => prints);
  const other = printsUnder(OTHER_KEY).flatMap(([, ...prints]) => prints);
  const unkeyed = printsUnder(LEGACY).flatMap(([, ...prints]) => prints);
  keyed.forEach((print, i) => {
    assert.notEqual(print, other[i]);
    assert.notEqual(print, unkeyed[i]);
  });
});

Deno.test("fingerprint() salts with the project's zone: a CALLTOUCH_TIME_ZONE change sends again", () => {
  for (const deal of deals()) {
    assert.notEqual(fingerprint(deal, TEST_KEY, SALT), fingerprint(deal, TEST_KEY));
    assert.notEqual(matchingFingerprint(deal, TEST_KEY, SALT), matchingFingerprint(deal, TEST_KEY));
    assert.notEqual(
      fingerprint(deal, TEST_KEY, "tz:Europe/Berlin"),
      fingerprint(deal, TEST_KEY, SALT),
    );
  }
});

Deno.test("fingerprinter() depends on the columns' keys, never on their order", () => {
  const shuffled = [...DEAL_COLUMNS].reverse();
  const rotated = [...DEAL_COLUMNS.slice(5), ...DEAL_COLUMNS.slice(0, 5)];
  for (const columns of [shuffled, rotated]) {
    const prints = fingerprinter(columns);
    for (const deal of deals()) {
      assert.equal(prints.fingerprint(deal, TEST_KEY), fingerprint(deal, TEST_KEY));
      assert.equal(prints.matchingFingerprint(deal, TEST_KEY), matchingFingerprint(deal, TEST_KEY));
    }
  }
});

Deno.test("fingerprinter() of a table without a first-version column names it", () => {
  assert.throws(
    () => fingerprinter(DEAL_COLUMNS.filter((c) => c.key !== "statusDate")),
    (error) => error instanceof TypeError && /no column statusDate/.test(error.message),
  );
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
      assert.equal(
        after.fingerprint(deal, TEST_KEY),
        before.fingerprint(deal, TEST_KEY),
        "empty: unchanged",
      );
      const filled = { ...deal, source: "Яндекс" } as Deal;
      assert.notEqual(
        after.fingerprint(filled, TEST_KEY),
        before.fingerprint(filled, TEST_KEY),
        "filled: changed",
      );
    }
  }
});

Deno.test("fingerprint() takes the funnel and the margin, not the row or its link", () => {
  const [deal] = deals();
  const base = fingerprint(deal, TEST_KEY);
  assert.notEqual(fingerprint({ ...deal, funnel: "Стоматология" }, TEST_KEY), base);
  assert.notEqual(fingerprint({ ...deal, margin: "1200.00" }, TEST_KEY), base);
  assert.notEqual(
    fingerprint({ ...deal, funnel: "A", margin: "1.00" }, TEST_KEY),
    fingerprint({ ...deal, funnel: "1.00", margin: "A" }, TEST_KEY),
    "values cannot move between fields",
  );
  assert.equal(
    fingerprint({ ...deal, row: 99 }, TEST_KEY),
    base,
    "sorting the sheet changes nothing",
  );
  assert.equal(
    matchingFingerprint({ ...deal, funnel: "x", margin: "2.00" }, TEST_KEY),
    matchingFingerprint(deal, TEST_KEY),
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
    assert.notEqual(
      fingerprint({ ...deal, ...change }, TEST_KEY),
      fingerprint(deal, TEST_KEY),
      JSON.stringify(change),
    );
  }
  const matching = [changes[0], changes[4], changes[5]];
  for (const change of matching) {
    assert.notEqual(
      matchingFingerprint({ ...deal, ...change }, TEST_KEY),
      matchingFingerprint(deal, TEST_KEY),
    );
  }
  assert.equal(
    matchingFingerprint({ ...deal, status: "x" }, TEST_KEY),
    matchingFingerprint(deal, TEST_KEY),
  );
});
