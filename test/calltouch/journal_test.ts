import assert from "node:assert/strict";
import { journalDeal, readJournal, windows } from "../../src/calltouch/journal.ts";
import { UpstreamError } from "../../src/util/errors.ts";
import {
  type CalltouchEmulator,
  EMULATOR_STATS_TOKEN,
  startCalltouchEmulator,
} from "../emulators/calltouch.ts";
import { ManualClock } from "../support/clock.ts";

const START = Date.UTC(2026, 10, 30, 9, 0, 0);

/** Puts deals straight into the emulator, as if created earlier. */
function seed(calltouch: CalltouchEmulator, count: number, date: string, from = 1): void {
  for (let i = from; i < from + count; i++) {
    calltouch.deals.set(`J-${i}`, {
      orderNumber: `J-${i}`,
      calltouchOrderId: i,
      createCount: 1,
      updateCount: 0,
      fields: { status: "Запись", orderDate: date, revenue: "1500.00" },
      tags: ["МРТ"],
      custom: {},
      comments: [],
      matching: [],
      rematchCount: 0,
      crm: "Google Sheets",
    });
  }
}

/** Reads the emulator's journal: Oct–Dec 2026 unless `options` says otherwise. */
async function read(
  calltouch: CalltouchEmulator,
  options: { token?: string } & Partial<Parameters<typeof readJournal>[0]> = {},
) {
  const { token, ...rest } = options;
  return await readJournal({
    baseUrl: calltouch.url,
    siteId: calltouch.siteId,
    statsToken: token ?? EMULATOR_STATS_TOKEN,
    from: "2026-10-01",
    to: "2026-12-31",
    clock: new ManualClock(START),
    deadline: START + 60_000,
    ...rest,
  });
}

Deno.test("readJournal() reads every page of every window, in both record shapes", async (t) => {
  for (const shape of ["records", "flat"] as const) {
    await t.step(shape, async () => {
      const calltouch = await startCalltouchEmulator({ journalShape: shape });
      try {
        seed(calltouch, 1_050, "20-11-2026 10:00:00");
        seed(calltouch, 3, "05-10-2026 09:30:00", 2_000);
        seed(calltouch, 2, "15-01-2027 09:30:00", 3_000); // outside the window
        const deals = await read(calltouch);
        assert.equal(deals.length, 1_053);
        const one = deals.find((d) => d.orderNumber === "J-1")!;
        assert.equal(one.status, "Запись");
        assert.equal(one.revenue, "1500.00");
        assert.equal(one.orderDate, "2026-11-20T10:00:00");
        assert.deepEqual(one.tags, ["МРТ"]);
        assert.equal(one.crm, shape === "records" ? "Google Sheets" : undefined);
        // Windows of a month, each paged: Oct 1–31, Nov 1–Dec 1 (2 pages), Dec 2–31.
        assert.equal(calltouch.requests.length, 4);
        for (const request of calltouch.requests) {
          assert.equal(request.method, "GET");
          assert.match(request.path, /\/calls-service\/RestAPI\/\d+\/orders-diary\/orders$/);
        }
      } finally {
        await calltouch.close();
      }
    });
  }
});

Deno.test("readJournal() retries 429 and 5xx; a refused token is an error without the token", async () => {
  const calltouch = await startCalltouchEmulator();
  try {
    seed(calltouch, 2, "20-11-2026 10:00:00");
    calltouch.failNext(2, 503);
    assert.equal((await read(calltouch)).length, 2);
    const wrong = "a-wrong-statistics-token";
    const error = await read(calltouch, { token: wrong }).catch((e) => e);
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.status, 401);
    assert.match(error.message, /CALLTOUCH_STATS_TOKEN/);
    assert.ok(!error.message.includes(wrong) && !error.message.includes(EMULATOR_STATS_TOKEN));
    // A target of TARGETS: the message names its own secret and field.
    const names = (setting: string) => `${setting}:dental`;
    const named = await read(calltouch, { token: wrong, names }).catch((e) => e);
    assert.match(named.message, /CALLTOUCH_STATS_TOKEN:dental .* CALLTOUCH_SITE_ID:dental/);
    // Unreachable: the message never quotes the URL (which carries the token).
    const down = await readJournal({
      baseUrl: "http://127.0.0.1:9",
      siteId: "1",
      statsToken: EMULATOR_STATS_TOKEN,
      from: "2026-11-01",
      to: "2026-11-02",
      clock: new ManualClock(START),
      deadline: START + 1_000,
    }).catch((e) => e);
    assert.ok(down instanceof UpstreamError);
    assert.ok(!down.message.includes(EMULATOR_STATS_TOKEN));
  } finally {
    await calltouch.close();
  }
});

Deno.test("readJournal() takes a page only from a 2xx answer: a 300 with a page's body is an error", async () => {
  const calltouch = await startCalltouchEmulator();
  try {
    seed(calltouch, 2, "20-11-2026 10:00:00");
    // A proxy in front answers "Multiple Choices" (not a redirect fetch follows) over the page.
    const error = await read(calltouch, {
      fetch: async (input, init) => {
        const page = await fetch(input, init);
        return new Response(await page.text(), { status: 300, headers: page.headers });
      },
    }).catch((e) => e);
    assert.ok(error instanceof UpstreamError, String(error));
    assert.equal(error.status, 300);
  } finally {
    await calltouch.close();
  }
});

Deno.test("windows() gives windows with dateFrom < dateTo, a day wider each side, sharing edges", () => {
  // One day: never dateFrom == dateTo (documented as refused); the day either side covers a deal
  // within hours of midnight when the project's zone is off.
  assert.deepEqual(windows("2026-11-05", "2026-11-05"), [["04/11/2026", "06/11/2026"]]);
  // Month and year edges are the project's days, not shifted by any zone.
  assert.deepEqual(windows("2026-12-31", "2027-01-01"), [["30/12/2026", "02/01/2027"]]);
  assert.deepEqual(windows("2026-10-01", "2026-11-15"), [
    ["30/09/2026", "31/10/2026"],
    ["31/10/2026", "16/11/2026"],
  ]);
  // The last window is never a single day either.
  assert.deepEqual(windows("2026-10-01", "2026-11-01"), [
    ["30/09/2026", "31/10/2026"],
    ["31/10/2026", "02/11/2026"],
  ]);
  for (let span = 0; span < 100; span++) {
    const to = new Date(Date.UTC(2026, 0, 1 + span)).toISOString().slice(0, 10);
    const all = windows("2026-01-01", to);
    for (const [from, until] of all) {
      const day = (dmy: string) => dmy.split("/").reverse().join("");
      assert.ok(day(from) < day(until), `${from} < ${until} (span ${span})`);
    }
    for (let i = 1; i < all.length; i++) assert.equal(all[i][0], all[i - 1][1], "edges shared");
  }
});

Deno.test("readJournal() reads deals that all fall on one day; the journal refuses dateFrom == dateTo", async (t) => {
  for (const dateTo of ["inclusive", "exclusive"] as const) {
    await t.step(`dateTo ${dateTo}`, async () => {
      const calltouch = await startCalltouchEmulator({ journalDateTo: dateTo });
      try {
        seed(calltouch, 3, "20-11-2026 00:10:00");
        seed(calltouch, 2, "20-11-2026 23:50:00", 10);
        const deals = await read(calltouch, {
          from: "2026-11-20",
          to: "2026-11-20",
        });
        assert.equal(deals.length, 5);
        assert.equal(calltouch.requests.length, 1);
        assert.equal(calltouch.requests[0].status, 200);
      } finally {
        await calltouch.close();
      }
    });
  }
  await t.step("the emulator refuses equal dates (and reversed ones) with a 400", async () => {
    const calltouch = await startCalltouchEmulator();
    try {
      seed(calltouch, 1, "20-11-2026 10:00:00");
      const ask = async (dateFrom: string, dateTo: string) => {
        const url = new URL(
          `/calls-service/RestAPI/${calltouch.siteId}/orders-diary/orders`,
          calltouch.url,
        );
        url.search = new URLSearchParams({ clientApiId: EMULATOR_STATS_TOKEN, dateFrom, dateTo })
          .toString();
        const response = await fetch(url);
        return [response.status, await response.json()];
      };
      const [status, body] = await ask("20/11/2026", "20/11/2026");
      assert.equal(status, 400);
      assert.match(JSON.stringify(body), /dateFrom must be less than dateTo/);
      assert.equal((await ask("21/11/2026", "20/11/2026"))[0], 400);
      assert.equal((await ask("20/11/2026", "21/11/2026"))[0], 200);
      // What a one-day window sent as it was before: refused, so the look-up failed.
      const error = await read(calltouch, {
        from: "2026-11-20",
        to: "2026-11-20",
        fetch: (input, init) => {
          const url = new URL(input instanceof Request ? input.url : input);
          url.searchParams.set("dateFrom", url.searchParams.get("dateTo")!);
          return fetch(url, init);
        },
      }).catch((e) => e);
      assert.ok(error instanceof UpstreamError);
      assert.equal(error.status, 400);
    } finally {
      await calltouch.close();
    }
  });
});

Deno.test("readJournal() without a page count stops at the first page shorter than the limit", async (t) => {
  await t.step("the emulator's answer names no page count", async () => {
    const calltouch = await startCalltouchEmulator({ journalPageCount: false });
    try {
      for (const shape of ["records", "flat"] as const) {
        calltouch.set({ journalShape: shape });
        const url = new URL(
          `/calls-service/RestAPI/${calltouch.siteId}/orders-diary/orders`,
          calltouch.url,
        );
        url.search = new URLSearchParams({
          clientApiId: EMULATOR_STATS_TOKEN,
          dateFrom: "01/11/2026",
          dateTo: "02/11/2026",
        }).toString();
        const body = await (await fetch(url)).json();
        assert.ok(Array.isArray(body.records));
        assert.ok(!("pageTotal" in body) && !("totalPage" in body), JSON.stringify(body));
      }
    } finally {
      await calltouch.close();
    }
  });
  for (const [count, pages] of [[0, 1], [3, 1], [999, 1], [1_000, 2], [1_001, 2], [2_000, 3]]) {
    await t.step(`${count} deals: ${pages} page(s)`, async () => {
      const calltouch = await startCalltouchEmulator({ journalPageCount: false });
      try {
        seed(calltouch, count, "20-11-2026 10:00:00");
        const deals = await read(calltouch, {
          from: "2026-11-20",
          to: "2026-11-21",
        });
        assert.equal(deals.length, count);
        assert.equal(calltouch.requests.length, pages);
      } finally {
        await calltouch.close();
      }
    });
  }
});

Deno.test("journalDeal() reads the record forms public clients see", () => {
  assert.deepEqual(
    journalDeal({
      orderId: 7,
      orderNumber: 1001,
      orderStatus: "Оплачено",
      orderDate: "20/11/2026 10:30:00",
      completedAmount: 3500,
      tags: [{ category: "", type: "MANUAL", names: ["МРТ", "VIP"] }],
    }),
    {
      orderNumber: "1001",
      status: "Оплачено",
      revenue: "3500.00",
      orderDate: "2026-11-20T10:30:00",
      tags: ["МРТ", "VIP"],
      attribution: { kind: "none" },
    },
  );
  assert.deepEqual(
    journalDeal({
      orderNumber: "A-1",
      status: { name: "Визит" },
      sum: "1 200,50",
      tags: [{ tag: "x" }],
    }),
    {
      orderNumber: "A-1",
      status: "Визит",
      revenue: "1200.50",
      tags: ["x"],
      attribution: { kind: "none" },
    },
  );
  for (
    const [date, expected] of [
      ["2026-11-20T10:30:15", "2026-11-20T10:30:15"],
      ["2026-11-20 10:30", "2026-11-20T10:30:00"],
      ["2026-11-20", "2026-11-20T00:00:00"],
      ["20.11.2026", "2026-11-20T00:00:00"],
      ["20-11-2026 10:30:15", "2026-11-20T10:30:15"],
    ]
  ) {
    assert.equal(journalDeal({ orderNumber: "D", date })?.orderDate, expected, date);
  }
  assert.equal(journalDeal({ orderNumber: "D", date: "ноябрь" })?.orderDate, undefined);
  assert.equal(journalDeal({ orderId: 5 }), undefined);
  assert.equal(journalDeal(null), undefined);
});

Deno.test("journalDeal() reads an open deal's sums: completed first, planned kept apart", () => {
  const open = journalDeal({ orderNumber: "1", completedAmount: 0, plannedAmount: 1500 })!;
  assert.equal(open.revenue, "0.00");
  assert.equal(open.plannedRevenue, "1500.00");
  const plannedOnly = journalDeal({
    orderNumber: "2",
    completedAmount: null,
    plannedAmount: "1500",
  });
  assert.equal(plannedOnly?.revenue, "1500.00");
  assert.equal(plannedOnly?.plannedRevenue, "1500.00");
  const completed = journalDeal({ orderNumber: "3", completedAmount: 700 })!;
  assert.equal(completed.revenue, "700.00");
  assert.equal(completed.plannedRevenue, undefined);
});

Deno.test("journalDeal() gives every deal an origin, whatever the record says of it", async (t) => {
  const none = { kind: "none" };
  const cases: [string, Record<string, unknown>, unknown][] = [
    ["no orderSource, no visit", {}, none],
    ["empty objects", { orderSource: {}, visit: {} }, none],
    ["nulls", { orderSource: null, visit: null }, none],
    ['type "NONE", visit null', { orderSource: { type: "NONE" }, visit: null }, none],
    [
      'type "none" with UTM values',
      { orderSource: { type: "none" }, visit: { utmSource: "x" } },
      none,
    ],
    ["type WITHOUT_SOURCE", { orderSource: { type: "WITHOUT_SOURCE" } }, none],
    ["empty UTM values", { orderSource: {}, visit: { utmSource: "", utmMedium: " " } }, none],
    ['flat: leadType "none"', { leadType: "none" }, none],
    ["flat: empty strings", { source: "", medium: "", campaign: "", leadType: "" }, none],
    ["flat: nulls", { source: null, medium: null, campaign: null, leadType: null }, none],
    [
      "a call with its ad",
      {
        orderSource: { type: "CALL" },
        visit: { utmSource: "yandex", utmMedium: "cpc", utmCampaign: "mrt" },
      },
      { kind: "lead", source: "yandex", medium: "cpc", campaign: "mrt" },
    ],
    [
      "a call without UTM values",
      { orderSource: { type: "CALL" }, visit: null },
      { kind: "lead", source: "", medium: "", campaign: "" },
    ],
    [
      "the custom type only",
      { orderSource: { type: "CUSTOM" }, visit: null },
      { kind: "custom", source: "", medium: "", campaign: "" },
    ],
    [
      "flat: a custom source",
      {
        source: "офлайн-визит",
        medium: "офлайн-визит",
        campaign: "офлайн-визит",
        leadType: "custom",
      },
      { kind: "custom", source: "офлайн-визит", medium: "офлайн-визит", campaign: "офлайн-визит" },
    ],
  ];
  for (const [name, record, expected] of cases) {
    await t.step(name, () => {
      assert.deepEqual(journalDeal({ orderNumber: "1", ...record })?.attribution, expected);
    });
  }
});

Deno.test("readJournal() reads each form the emulator gives a deal without a lead", async (t) => {
  const forms = [
    "custom",
    "customTypeOnly",
    "typeNone",
    "absent",
    "emptyObjects",
    "nulls",
  ] as const;
  for (const shape of ["records", "flat"] as const) {
    for (const noLead of forms) {
      await t.step(`${shape}, ${noLead}`, async () => {
        const calltouch = await startCalltouchEmulator({
          journalShape: shape,
          journalNoLead: noLead,
        });
        try {
          seed(calltouch, 1, "20-11-2026 10:00:00"); // J-1: no matching at all
          seed(calltouch, 1, "20-11-2026 10:00:00", 2); // J-2: the custom source fallback
          calltouch.deals.get("J-2")!.matching = [{
            type: "customSources",
            customSourceParams: { source: "офлайн", medium: "визит", campaign: "клиника" },
          }];
          const deals = await read(calltouch);
          const origin = (id: string) => deals.find((d) => d.orderNumber === id)?.attribution;
          assert.deepEqual(origin("J-1"), { kind: "none" });
          assert.deepEqual(
            origin("J-2"),
            noLead === "custom"
              ? { kind: "custom", source: "офлайн", medium: "визит", campaign: "клиника" }
              : noLead === "customTypeOnly"
              ? { kind: "custom", source: "", medium: "", campaign: "" }
              : { kind: "none" },
          );
        } finally {
          await calltouch.close();
        }
      });
    }
  }
});

Deno.test("readJournal() reads an open deal's sums as the emulator gives them", async (t) => {
  for (const shape of ["records", "flat"] as const) {
    await t.step(shape, async () => {
      const calltouch = await startCalltouchEmulator({
        journalShape: shape,
        journalSum: "openDeal",
      });
      try {
        seed(calltouch, 1, "20-11-2026 10:00:00");
        const [deal] = await read(calltouch);
        assert.equal(deal.revenue, "0.00");
        assert.equal(deal.plannedRevenue, "1500.00");
      } finally {
        await calltouch.close();
      }
    });
  }
});
