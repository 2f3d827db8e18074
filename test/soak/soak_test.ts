/**
 * The fault soak, short: four fixed seeds of 15 steps each, end to end in workerd, must find no
 * violation (the long version is `deno task soak`). Plus unit tests of the soak's generator,
 * oracle and privacy scan.
 */
import { SEED_SETTINGS } from "../support/calltouch.ts";
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import type { PayloadSettings } from "../../src/columns/payload.ts";
import { type StoredDeal, storedDeal } from "../emulators/calltouch.ts";
import { startRig } from "../support/e2e.ts";
import { compareDeal, expectSheet, statusKind } from "./oracle.ts";
import { normalizeSeed, Random } from "./random.ts";
import { findContacts, redact, runSoak, SOAK_HEADER, SOAK_TIME_BUDGET_SECONDS } from "./soak.ts";
import { cellOf } from "../support/columns.ts";

/**
 * Seeds and steps of the CI soak: 4 seeds of 15 steps side by side take about as long as the
 * slowest one (a step with a fault mostly waits for the product's retry backoff): ~30 s.
 */
const CI_SEEDS = [1, 2, 3, 4];
const CI_STEPS = 15;

/** The payload settings the soak's Worker runs with (the emulator rig's defaults). */
const SETTINGS: PayloadSettings = SEED_SETTINGS;

Deno.test("Random: the same seed gives the same draws, within range", () => {
  const a = new Random(12345);
  const b = new Random(12345);
  const drawsA = Array.from({ length: 50 }, () => a.int(1, 6));
  const drawsB = Array.from({ length: 50 }, () => b.int(1, 6));
  assert.deepEqual(drawsA, drawsB);
  assert.ok(drawsA.every((n) => n >= 1 && n <= 6));
  assert.ok(new Set(drawsA).size > 3, "not constant");
  assert.notDeepEqual(
    Array.from({ length: 10 }, () => new Random(1).next()),
    Array.from({ length: 10 }, () => new Random(2).next()),
  );
  const random = new Random(7);
  for (let i = 0; i < 1000; i++) {
    const x = random.next();
    assert.ok(x >= 0 && x < 1);
  }
  assert.deepEqual(random.shuffle([1, 2, 3, 4, 5]).sort(), [1, 2, 3, 4, 5]);
  assert.equal(random.pick(["only"]), "only");
  assert.equal(random.weighted({ a: 0, b: 1 }), "b");
  assert.equal(random.chance(0), false);
  assert.equal(random.chance(1), true);
  assert.equal(normalizeSeed(2 ** 32 + 5), 5);
  assert.equal(normalizeSeed(-1), 2 ** 32 - 1);
  assert.throws(() => random.int(3, 1), RangeError);
});

function stored(fields: Partial<StoredDeal>): StoredDeal {
  return storedDeal("1001", 1, fields);
}

Deno.test("oracle: expectations come from the product's parser and payloads", () => {
  const cells: CellValue[][] = [
    [...SOAK_HEADER, "Calltouch"],
    [
      1001,
      "21.11.2026 10:00",
      "Визит",
      "1 500",
      "8 (915) 777-11-22",
      "",
      "реклама, яндекс",
      "✅ x",
    ],
    ["1002", "22.11.2026", "Запись", "", "", "Anna@Mail.ru", "", "⏳ y"],
    ["1003", "31.02.2026 10:00", "Запись", 100, "+7 916 000-00-00", "", "", ""],
    ["1004", "22.11.2026", "Запись", "", "", "", "", ""],
    ["1004", "23.11.2026", "Запись", "", "", "", "", "❌ z"],
  ];
  const expected = expectSheet(cells, SETTINGS);
  assert.ok(expected.ok);
  assert.deepEqual([...expected.deals.keys()], ["1001", "1002"]);
  const d1 = expected.deals.get("1001")!;
  assert.equal(d1.row, 2);
  assert.equal(d1.status, "Визит");
  // No status-date column: the sync picks the date (deal date, then the moment of a change).
  assert.equal(d1.statusDate, undefined);
  assert.equal(d1.revenue, "1500.00");
  assert.deepEqual(d1.tags, ["реклама", "яндекс"]);
  assert.deepEqual(d1.callContact, {
    phones: ["79157771122"],
    emails: [],
    date: "21-11-2026 10:00:00",
  });
  const d2 = expected.deals.get("1002")!;
  assert.equal(d2.revenue, undefined);
  assert.equal(d2.callContact, undefined);
  assert.deepEqual(d2.requestContact?.emails, ["anna@mail.ru"]);
  assert.deepEqual([...expected.invalidRows.keys()].sort(), [4, 5, 6]);
  assert.equal(expected.invalidIds.get(5), "1004");
  assert.equal(expected.statusTexts.get(2), "✅ x");
  assert.equal(statusKind(expected.statusTexts.get(2)), "accepted");
  assert.equal(statusKind(expected.statusTexts.get(3)), "pending");
  assert.equal(statusKind(expected.statusTexts.get(6)), "problem");
  assert.equal(statusKind(undefined), "none");
});

Deno.test("oracle: compareDeal finds stale fields, tags and contacts, and masks contacts", () => {
  const [deal] = expectSheet([
    SOAK_HEADER,
    ["1001", "21.11.2026 10:00", "Визит", 1500, "+7 915 777-11-22", "", "акция"],
  ], SETTINGS).deals.values();
  const matching = (phone: string, date: string) => [
    {
      type: "callContact",
      callContactParams: { phones: [phone], date, callTypeToMatch: "nearest", searchDepth: 1 },
    },
    {
      type: "requestContact",
      requestContactParams: {
        phones: [phone],
        date,
        requestTypeToMatch: "nearest",
        searchDepth: 1,
      },
    },
    { type: "customSources", customSourceParams: { source: "a", medium: "b", campaign: "c" } },
  ];
  const good = stored({
    fields: { status: "Визит", statusDate: "21-11-2026 10:00:00", revenue: "1500.00", extra: 1 },
    tags: ["акция"],
    matching: matching("79157771122", "21-11-2026 10:00:00"),
  });
  assert.equal(compareDeal(good, deal), undefined);
  assert.equal(compareDeal(undefined, deal), "Calltouch has no such deal");

  const stale = compareDeal(
    stored({
      ...good,
      fields: { ...good.fields, status: "Запись" },
      tags: ["акция", "старый"],
      matching: matching("79160000000", "20-11-2026 10:00:00"),
    }),
    deal,
  )!;
  assert.match(stale, /status: sheet "Визит", Calltouch "Запись"/);
  assert.match(stale, /tags:/);
  assert.match(stale, /callContact:/);
  assert.match(stale, /7915\*\*\*1122/);
  assert.doesNotMatch(stale, /79157771122|79160000000/, "contacts are masked");
});

Deno.test("privacy scan: finds contacts in any format, not masked ones or other numbers", () => {
  const phones = new Set(["9157771122"]);
  const emails = new Set(["anna77@mail.ru"]);
  const find = (text: string) => findContacts(text, phones, emails);
  for (
    const text of [
      '{"phones":["79157771122"]}',
      "8 (915) 777-11-22",
      "+7 915 777 11 22",
      "tel 9157771122.",
      "ANNA77@MAIL.RU",
    ]
  ) {
    assert.equal(find(text).length, 1, text);
  }
  for (
    const text of [
      "7915***1122",
      "a***@mail.ru",
      '{"at":17649157771122,"raw":29157771122}',
      "",
    ]
  ) {
    assert.deepEqual(find(text), [], text);
  }
  assert.equal(
    redact("saw +7 915 777-11-22 and anna77@mail.ru", phones, emails),
    "saw +9157***1122 and a***@mail.ru",
  );
});

Deno.test("fault soak: its checks catch a lost update, a double create and a leak", async () => {
  let leaked = "";
  const { violations } = await runSoak({
    runs: 3,
    seed: 7,
    faults: false,
    afterRun: async (rig, step) => {
      if (step === 2) {
        // Calltouch loses every deal's status behind the sync's back: every ✅ is now a lie.
        for (const deal of rig.calltouch.deals.values()) deal.fields.status = "Подмена";
      }
      if (step === 3) {
        const [deal] = rig.calltouch.deals.values();
        deal.createCount = 2;
        const phone = rig.cells().slice(1).map((row) => String(row[4] ?? ""))
          .find((cell) => cell.replace(/\D/g, "").length === 11 && !/[,;]/.test(cell))!;
        leaked = phone.replace(/\D/g, "");
        await rig.worker.kv.put("v1:soak-test-leak", `{"phone":"${phone}"}`);
      }
    },
  });
  const kinds = new Set(violations.map((v) => /^seed 7 step \w+: ([^:]+):/.exec(v)?.[1]));
  assert.ok(kinds.has("lost update"), violations.join("\n"));
  assert.ok(kinds.has("created twice"), violations.join("\n"));
  assert.ok(kinds.has("personal data leaked"), violations.join("\n"));
  assert.ok(violations.every((v) => !v.replace(/\D/g, "").includes(leaked.slice(1))));
});

// The seeds run side by side: a soak mostly waits (retry backoffs, a slow Calltouch), and each
// has its own emulators, Worker and KV.
Deno.test(`fault soak: seeds ${CI_SEEDS.join(", ")}, ${CI_STEPS} steps each, no violation`, async () => {
  const results = await Promise.all(
    CI_SEEDS.map((seed) => runSoak({ runs: CI_STEPS, seed })),
  );
  for (const { stats } of results) {
    assert.equal(stats.steps, CI_STEPS);
    assert.ok(stats.checkedRuns > 0, `seed ${stats.seed}: some runs were checked`);
  }
  const violations = results.flatMap((r) => r.violations);
  assert.deepEqual(violations, [], violations.join("\n"));
});

/**
 * Found by the soak (`deno task soak --vary`, seeds 4 and 5): when Calltouch answers a create of
 * an existing deal by updating it (an "upsert"), the create's `addTags` are added to the deal's
 * tags instead of replacing them. A deal in doubt is therefore sent again as an update (which
 * overwrites its tags), never as a create. (After a lost state the sync cannot know a deal
 * exists; that case is a documented limitation: docs/calltouch-answers.md.)
 */
for (
  const [name, lose] of [
    ["the first create was applied but never acknowledged (in doubt)", "answer"],
  ] as const
) {
  Deno.test({
    name: `upsert: tags removed in the sheet leave Calltouch when ${name}`,
    async fn() {
      const rig = await startRig({
        rows: [SOAK_HEADER, [
          "1001",
          "21.11.2026 10:00",
          "Запись",
          1000,
          "+7 916 123-45-67",
          "",
          "акция, сайт",
        ]],
        settings: { SYNC_TIME_BUDGET_SECONDS: SOAK_TIME_BUDGET_SECONDS },
      });
      try {
        rig.calltouch.duplicateCreate = "upsert";
        if (lose === "answer") rig.calltouch.applyThenFail(10, 502);
        await rig.sync();
        rig.calltouch.applyThenFail(0);
        assert.deepEqual(rig.calltouch.deals.get("1001")?.tags, ["акция", "сайт"]);
        rig.type(cellOf(SOAK_HEADER, "tags", 2), [["акция"]]);
        const { body } = await rig.sync();
        assert.equal(body.ok, true);
        assert.match(rig.statusOf("1001") ?? "", /^✅/);
        assert.deepEqual(rig.calltouch.deals.get("1001")?.tags, ["акция"], "the sheet's tags");
      } finally {
        await rig.close();
      }
    },
  });
}
