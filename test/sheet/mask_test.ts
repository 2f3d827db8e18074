import assert from "node:assert/strict";
import { maskContacts, maskContactsIn, maskEmail, maskPhone } from "../../src/sheet/mask.ts";

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
    ["ab", "a***"],
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
    ["915 777 11 22", "9157***1122"],
    ["8 (800) 555-35-35", "8800***3535"],
    ["915 777 11 2", "915 777 11 2"],
    // Seven digits are a phone only with a `+` or a `(`; six never are.
    ["(343) 77-11", "34***"],
    ["+7 77-11-22", "77***"],
    ["343 77-11", "343 77-11"],
    ["(343) 7-11", "(343) 7-11"],
    ["+7 7-11-22", "+7 7-11-22"],
    ["ivan@mail.ru", "i***@mail.ru"],
    ["31.02.2026", "31.02.2026"],
    ["2026-11-22", "2026-11-22"],
    ["22.11.2026 25:00", "22.11.2026 25:00"],
    ["(2026-11-22)", "(2026-11-22)"],
    ["+22.11.2026", "+22.11.2026"],
    ["1 000 000", "1 000 000"],
    ["abc", "abc"],
  ];
  for (const [value, expected] of cases) {
    await t.step(value, () => assert.equal(maskContacts(value), expected));
  }
});

Deno.test("maskContactsIn() masks a phone or an e-mail where it stands, the rest kept", async (t) => {
  const cases: [string, string][] = [
    // Phones inside a value: at the end, the start, the middle; with +7 / 8 / 7 / no prefix.
    ["reminder_79161112233", "reminder_7916***2233"],
    ["79161112233_reminder", "7916***2233_reminder"],
    ["sms_89161112233_nov", "sms_8916***2233_nov"],
    ["sms_9161112233", "sms_9161***2233"],
    ["sms+79161112233", "sms7916***2233"],
    ["id9161112233", "id9161***2233"],
    // Separated from the text by _ - . / spaces and parentheses.
    ["reminder-79161112233", "reminder-7916***2233"],
    ["reminder.79161112233.nov", "reminder.7916***2233.nov"],
    ["sms/89161112233/nov", "sms/8916***2233/nov"],
    ["call me 8 916 111 22 33 today", "call me 8916***2233 today"],
    ["clinic (89161112233)", "clinic (8916***2233)"],
    // Grouped as people write them.
    ["sms_+7 (916) 111-22-33", "sms_7916***2233"],
    ["sms_8-916-111-22-33_x", "sms_8916***2233_x"],
    ["sms 916.111.22.33 x", "sms 9161***2233 x"],
    ["sms_7_916_111_22_33", "sms_7916***2233"],
    ["sms (343) 77-11-22", "sms 3437***1122"],
    ["tel +375 29 123 45 67 ok", "tel 3752***4567 ok"],
    ["tel 375291234567 ok", "tel 3752***4567 ok"],
    // Several contacts in one value.
    ["79161112233_89162223344", "7916***2233_8916***3344"],
    ["a@mail.ru, 89161112233", "a***@mail.ru, 8916***2233"],
    // E-mails: only the address is masked (its local part taken whole).
    ["reminder-smirnova@mail.ru", "r***@mail.ru"],
    ["sms / reminder / reminder-smirnova@mail.ru", "sms / reminder / r***@mail.ru"],
    ["to:ivan.petrov@mail.ru;", "to:i***@mail.ru;"],
    ["utm_smirnova@mail", "u***@mail"],
    ["ольга@почта.рф", "о***@почта.рф"],
    // A whole value that is a phone.
    ["+7 (916) 111-22-33", "7916***2233"],
    ["+7 77-11-22", "77***"],
    // No contact: untouched.
    ["yandex / cpc / mrt", "yandex / cpc / mrt"],
    ["sale_22.11.2026", "sale_22.11.2026"],
    ["2026-11-22 10:30:00", "2026-11-22 10:30:00"],
    ["22.11.2026 10:30", "22.11.2026 10:30"],
    ["sale+22.11.2026", "sale+22.11.2026"],
    ["20261122", "20261122"],
    ["order CRM-1001", "order CRM-1001"],
    ["A-2026-000123", "A-2026-000123"],
    ["campaign_123456", "campaign_123456"],
    ["ad_1234567", "ad_1234567"],
    ["group 12345678", "group 12345678"],
    ["id 123456789", "id 123456789"],
    ["1 500 000.00 руб", "1 500 000.00 руб"],
    ["1500000.50", "1500000.50"],
    ["(2026-11-22)", "(2026-11-22)"],
    ["@clinic", "@clinic"],
    ["", ""],
  ];
  for (const [value, expected] of cases) {
    await t.step(value || "(empty)", () => assert.equal(maskContactsIn(value), expected));
  }
});
