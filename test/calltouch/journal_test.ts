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

async function read(calltouch: CalltouchEmulator, options: { token?: string } = {}) {
  const clock = new ManualClock(START);
  return await readJournal({
    baseUrl: calltouch.url,
    siteId: calltouch.siteId,
    statsToken: options.token ?? EMULATOR_STATS_TOKEN,
    from: "2026-10-01",
    to: "2026-12-31",
    clock,
    deadline: START + 60_000,
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

Deno.test("windows() cuts a date range into month-long query windows", () => {
  assert.deepEqual(windows("2026-11-05", "2026-11-05"), [["05/11/2026", "05/11/2026"]]);
  assert.deepEqual(windows("2026-10-01", "2026-11-15"), [
    ["01/10/2026", "31/10/2026"],
    ["01/11/2026", "15/11/2026"],
  ]);
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
    },
  );
  assert.deepEqual(
    journalDeal({
      orderNumber: "A-1",
      status: { name: "Визит" },
      sum: "1 200,50",
      tags: [{ tag: "x" }],
    }),
    { orderNumber: "A-1", status: "Визит", revenue: "1200.50", tags: ["x"] },
  );
  assert.equal(journalDeal({ orderId: 5 }), undefined);
  assert.equal(journalDeal(null), undefined);
});
