import assert from "node:assert/strict";
import { maskContacts, maskEmail, maskPhone } from "../../src/sheet/mask.ts";

Deno.test("maskPhone() keeps the first and last four digits", async (t) => {
  const cases: [string | number, string][] = [
    ["79157771122", "7915***1122"],
    [79157771122, "7915***1122"],
    ["8 (915) 777-11-22", "8915***1122"],
    ["9157771122", "9157***1122"],
    ["12345", "12***"],
    ["123", "***"],
    ["нет", "***"],
  ];
  for (const [value, expected] of cases) {
    await t.step(`${value}`, () => assert.equal(maskPhone(value), expected));
  }
});

Deno.test("maskEmail() keeps the first character and the domain", async (t) => {
  const cases: [string, string][] = [
    ["name@server.com", "n***@server.com"],
    [" Name@Server.com ", "N***@Server.com"],
    ["@server.com", "***@server.com"],
    ["a@b@c.ru", "a***@c.ru"],
    ["broken", "b***"],
    ["x", "***"],
  ];
  for (const [value, expected] of cases) {
    await t.step(value, () => assert.equal(maskEmail(value), expected));
  }
});

Deno.test("maskContacts() masks phones and e-mails found in other columns, nothing else", async (t) => {
  const cases: [string, string][] = [
    ["+7 915 777-11-22", "7915***1122"],
    ["89157771122", "8915***1122"],
    ["(343) 777-11", "3437***7711"],
    ["ivan@mail.ru", "i***@mail.ru"],
    ["31.02.2026", "31.02.2026"],
    ["2026-11-22", "2026-11-22"],
    ["22.11.2026 25:00", "22.11.2026 25:00"],
    ["1 000 000", "1 000 000"],
    ["abc", "abc"],
  ];
  for (const [value, expected] of cases) {
    await t.step(value, () => assert.equal(maskContacts(value), expected));
  }
});
