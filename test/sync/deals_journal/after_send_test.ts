/**
 * The attribution column (`Источник (Calltouch)`): its text for every origin the journal can tell,
 * and a reconciliation run in this process against the emulators, for every form the journal may
 * give a deal without a lead, with contacts inside UTM values masked where they stand.
 */
import assert from "node:assert/strict";
import type { Attribution } from "../../../src/calltouch/journal.ts";
import type { CellValue } from "../../../src/deal.ts";
import { MemoryStore } from "../../../src/store/memory.ts";
import { attributionText } from "../../../src/sync/deals_journal/after_send.ts";
import type { RunReport } from "../../../src/sync/report.ts";
import { runFromSettings } from "../../../src/sync/run.ts";
import { EMULATOR_STATS_TOKEN, startCalltouchEmulator } from "../../emulators/calltouch.ts";
import type { JournalNoLead } from "../../emulators/calltouch_journal.ts";
import { startGoogleEmulator } from "../../emulators/google.ts";
import { testServiceAccount } from "../../support/service_account.ts";
import { emulatorSettings } from "../../support/settings.ts";

const CUSTOM = { source: "офлайн-визит", medium: "офлайн-визит", campaign: "офлайн-визит" };
/** Leads with a contact inside the campaign (the reconciliation's too), and their origin text. */
const PHONE_LEAD = {
  utm: { source: "sms", medium: "reminder", campaign: "reminder_79161112233" },
  text: "sms / reminder / reminder_7916***2233",
};
const EMAIL_LEAD = {
  utm: { source: "email", medium: "reminder", campaign: "reminder-smirnova@mail.ru" },
  text: "email / reminder / r***@mail.ru",
};

Deno.test("attributionText() names every origin, never a contact, never blank", async (t) => {
  const lead = (source: string, medium: string, campaign: string): Attribution => ({
    kind: "lead",
    source,
    medium,
    campaign,
  });
  const cases: [string, Attribution, "ru" | "en", string][] = [
    ["a lead", lead("yandex", "cpc", "mrt"), "ru", "yandex / cpc / mrt"],
    ["equal parts said once", lead("vk", "vk", "promo"), "ru", "vk / promo"],
    ["an empty part left out", lead("google", "", "uzi"), "ru", "google / uzi"],
    ["a lead without UTM values", lead("", "", ""), "ru", "лид без меток"],
    ["… in English", lead("", "", ""), "en", "lead without UTM tags"],
    ["no origin", { kind: "none" }, "ru", "лид не найден"],
    ["… in English", { kind: "none" }, "en", "no lead found"],
    [
      "the custom source the journal names",
      { kind: "custom", source: "a", medium: "b", campaign: "c" },
      "ru",
      "a / b / c",
    ],
    [
      "the custom type without values: CUSTOM_SOURCE",
      { kind: "custom", source: "", medium: "", campaign: "" },
      "ru",
      "офлайн-визит",
    ],
    ["a phone inside a campaign", { kind: "lead", ...PHONE_LEAD.utm }, "ru", PHONE_LEAD.text],
    [
      "an e-mail inside a campaign keeps source and medium",
      { kind: "lead", ...EMAIL_LEAD.utm },
      "ru",
      EMAIL_LEAD.text,
    ],
    [
      "a phone as a whole source, an e-mail as medium",
      lead("+7 (916) 111-22-33", "ivan@mail.ru", "mrt_2026-11-22"),
      "en",
      "7916***2233 / i***@mail.ru / mrt_2026-11-22",
    ],
    [
      "contacts in several parts",
      lead("tel_89161112233", "sms_79162223344", "camp_123456"),
      "ru",
      "tel_8916***2233 / sms_7916***3344 / camp_123456",
    ],
  ];
  for (const [name, attribution, language, expected] of cases) {
    await t.step(
      name,
      () => assert.equal(attributionText(attribution, language, CUSTOM), expected),
    );
  }
});

const ID = "1ReconcileTest_abcdefghijklmnopqrstuvwxyz01234";
const TAB = "Сделки";
const HEADER = ["ID сделки", "Дата сделки", "Статус", "Телефон", "Email", "Источник (Calltouch)"];
const ROWS: CellValue[][] = [
  HEADER,
  ["R1", "20.11.2026 10:00", "Запись", "+7 916 111-11-11", "", ""],
  ["R2", "20.11.2026 11:00", "Визит", "", "anna@example.ru", ""],
  ["R3", "20.11.2026 12:00", "Запись", "+7 916 333-33-33", "", ""],
];

async function reconcileOnce(
  noLead: JournalNoLead,
  extra: Record<string, string> = {},
  options: { sortBeforeWrite?: boolean } = {},
) {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = await startCalltouchEmulator({ journalNoLead: noLead });
  try {
    google.createSpreadsheet({
      spreadsheetId: ID,
      timeZone: "Europe/Moscow",
      sheets: [{ title: TAB, values: ROWS }],
      sharedWith: [account.clientEmail],
    });
    calltouch.addLead({ kind: "call", phones: ["79161111111"], ...PHONE_LEAD.utm });
    calltouch.addLead({ kind: "request", emails: ["anna@example.ru"], ...EMAIL_LEAD.utm });
    if (options.sortBeforeWrite) {
      // Someone sorts the deals (by ID, descending) while the run talks to Calltouch: after
      // the read of the tab, before the ID column is read again for the write-back.
      google.beforeNext("valuesRead", () => {
        google.beforeNext("valuesRead", () => {
          google.sortRows(ID, TAB, { column: 1, descending: true });
        });
      });
    }
    const settings = {
      ...emulatorSettings({ spreadsheetId: ID, google, calltouch, account }),
      CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN,
      ...extra,
    };
    const report = await runFromSettings(settings, { store: new MemoryStore(), build: "t" }, {
      trigger: "manual",
    }) as RunReport;
    const cells = google.values(ID, `'${TAB}'`);
    const column = cells[0].indexOf("Источник (Calltouch)");
    const origin = Object.fromEntries(cells.slice(1).map((row) => [row[0], row[column] ?? ""]));
    return { report, origin };
  } finally {
    await google.close();
    await calltouch.close();
  }
}

Deno.test("reconciliation writes an origin for every deal the journal shows, in every form", async (t) => {
  const masked = { R1: PHONE_LEAD.text, R2: EMAIL_LEAD.text };
  const cases: [JournalNoLead, string][] = [
    ["custom", "офлайн-визит"], // the custom source shown with its values (today's emulator)
    ["customTypeOnly", "офлайн-визит"], // only its type: CUSTOM_SOURCE names it
    ["typeNone", "лид не найден"],
    ["absent", "лид не найден"],
    ["emptyObjects", "лид не найден"],
    ["nulls", "лид не найден"],
  ];
  for (const [noLead, expected] of cases) {
    await t.step(`${noLead}: ${expected}`, async () => {
      const { report, origin } = await reconcileOnce(noLead);
      assert.equal(report.counts.created, 3);
      assert.ok(
        report.reconciled && !("error" in report.reconciled),
        JSON.stringify(report.reconciled),
      );
      assert.deepEqual(origin, { ...masked, R3: expected });
    });
  }
  await t.step("the rows sorted mid-run: each origin lands beside its own deal", async () => {
    const { origin } = await reconcileOnce("absent", {}, { sortBeforeWrite: true });
    assert.deepEqual(origin, { ...masked, R3: "лид не найден" });
  });
  await t.step("in English (STATUS_LANGUAGE=en)", async () => {
    const { origin } = await reconcileOnce("absent", { STATUS_LANGUAGE: "en" });
    assert.equal(origin.R3, "no lead found");
    assert.equal(origin.R1, masked.R1);
  });
});
