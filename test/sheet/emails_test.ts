import assert from "node:assert/strict";
import { type EmailList, isEmail, parseEmailsCell } from "../../src/sheet/emails.ts";
import type { Cell } from "../../src/sheet/cells.ts";

const CASES: [Cell, EmailList][] = [
  ["patient@example.ru", { emails: ["patient@example.ru"], invalid: [] }],
  [" Ivan.Petrov@Mail.RU ", { emails: ["ivan.petrov@mail.ru"], invalid: [] }],
  ["A@B.RU; a@b.ru, c@d.com", { emails: ["a@b.ru", "c@d.com"], invalid: [] }],
  ["a@b.ru\nc@d.com / e@f.org", { emails: ["a@b.ru", "c@d.com", "e@f.org"], invalid: [] }],
  ["a@b.ru c@d.com", { emails: ["a@b.ru", "c@d.com"], invalid: [] }],
  ["o'brien+tag@sub.example.co.uk", { emails: ["o'brien+tag@sub.example.co.uk"], invalid: [] }],
  ["admin@клиника.рф", { emails: ["admin@клиника.рф"], invalid: [] }],
  ["admin@xn--80aswg.xn--p1ai", { emails: ["admin@xn--80aswg.xn--p1ai"], invalid: [] }],
  ["", { emails: [], invalid: [] }],
  ["-", { emails: [], invalid: [] }],
  [undefined, { emails: [], invalid: [] }],
  ["name@server", { emails: [], invalid: ["n***@server"] }],
  ["name.server.com", { emails: [], invalid: ["n***"] }],
  ["name@@server.com", { emails: [], invalid: ["n***@server.com"] }],
  [".name@server.com", { emails: [], invalid: [".***@server.com"] }],
  ["na..me@server.com", { emails: [], invalid: ["n***@server.com"] }],
  ["name@-server.com", { emails: [], invalid: ["n***@-server.com"] }],
  ["name@server.c", { emails: [], invalid: ["n***@server.c"] }],
  ["ok@b.ru, Bad@", { emails: ["ok@b.ru"], invalid: ["b***@"] }],
  [12345, { emails: [], invalid: ["1***"] }],
];

Deno.test("parseEmailsCell() lower-cases, validates, de-duplicates and masks the bad ones", async (t) => {
  for (const [cell, expected] of CASES) {
    await t.step(
      `${JSON.stringify(cell)}`,
      () => assert.deepEqual(parseEmailsCell(cell), expected),
    );
  }
});

Deno.test("isEmail() refuses addresses longer than 254 characters", () => {
  assert.equal(isEmail(`${"a".repeat(64)}@${"b".repeat(63)}.ru`), true);
  assert.equal(isEmail(`${"a".repeat(64)}@${"b.".repeat(95)}ru`), false);
});
