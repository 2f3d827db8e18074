import assert from "node:assert/strict";
import { createRequest, updateRequest } from "../../src/calltouch/client.ts";
import {
  createOrder,
  type Known,
  knownAfter,
  knownHash,
  orderBuilder,
  type PayloadSettings,
  toCalltouchDate,
  updateOrder,
} from "../../src/columns/payload.ts";
import { calltouchDateAsUtc, fromCalltouchDate } from "../../src/calltouch/dates.ts";
import { DEAL_COLUMNS, dealColumn } from "../../src/columns/deal_columns.ts";
import type { Deal } from "../../src/deal.ts";
import { instantOf } from "../../src/util/zones.ts";
import { TEST_KEY } from "../support/keys.ts";

const SETTINGS: PayloadSettings = {
  crm: "название CRM",
  customSource: { source: "офлайн-визит", medium: "офлайн-визит", campaign: "офлайн-визит" },
  searchDepthMinutes: 259200,
  matchMode: "nearest",
  hashKey: TEST_KEY,
};

function deal(overrides: Partial<Deal> = {}): Deal {
  return {
    row: 2,
    orderNumber: "1001",
    orderDate: "2026-11-28T15:05:00",
    status: "Запись",
    statusDate: "2026-11-28T15:05:00",
    phones: [],
    emails: [],
    tags: [],
    ...overrides,
  };
}

const CUSTOM_SOURCES = {
  type: "customSources",
  customSourceParams: { source: "офлайн-визит", medium: "офлайн-визит", campaign: "офлайн-визит" },
};

Deno.test("toCalltouchDate() formats a LocalDateTime as dd-MM-yyyy HH:mm:ss", async (t) => {
  const cases: [string, string][] = [
    ["2021-07-19T16:42:32", "19-07-2021 16:42:32"],
    ["2026-01-01T00:00:00", "01-01-2026 00:00:00"],
    ["2024-02-29T23:59:59", "29-02-2024 23:59:59"],
  ];
  for (const [local, expected] of cases) {
    await t.step(`${local} → ${expected}`, () => assert.equal(toCalltouchDate(local), expected));
  }
  await t.step("throws on a value that is not a LocalDateTime", () => {
    for (const bad of ["2021-07-19", "19.07.2021 16:42", "2021-07-19 16:42:32", ""]) {
      assert.throws(() => toCalltouchDate(bad), TypeError);
    }
  });
});

Deno.test("knownHash() pins what a state keeps of a deal's tags and custom fields", () => {
  // Values of the build before the empty lists' shortcut: another text for [] or {} would make
  // every deal without tags or custom fields look changed to Calltouch once.
  assert.equal(knownHash([], TEST_KEY), "qu7ct34mdb");
  assert.equal(knownHash({}, TEST_KEY), "24en20mdpok");
  assert.equal(knownHash(["первичный", "сайт"], TEST_KEY), "l9ndriwb7h");
  assert.equal(knownHash({ doctor: "Иванов" }, TEST_KEY), "ni7csway7b");
});

Deno.test("calltouchDateAsUtc() reads a Calltouch date-time's wall clock as UTC", () => {
  for (
    const [date, expected] of [
      ["19-07-2021 16:42:32", Date.UTC(2021, 6, 19, 16, 42, 32)],
      ["01-01-2026 00:00:00", Date.UTC(2026, 0, 1)],
      ["29-02-2024 23:59:59", Date.UTC(2024, 1, 29, 23, 59, 59)],
    ] as const
  ) {
    assert.equal(calltouchDateAsUtc(date), expected);
    assert.equal(calltouchDateAsUtc(date), Date.parse(`${fromCalltouchDate(date)}Z`));
  }
  for (const bad of ["2021-07-19T16:42:32", "19.07.2021 16:42:32", "19-07-2021 16:42", ""]) {
    assert.throws(() => calltouchDateAsUtc(bad), TypeError);
  }
});

Deno.test("createRequest() builds exactly what the seed document means for its example", () => {
  const seedDeal = deal({
    orderNumber: "УникальныйIDсделки2",
    orderDate: "2021-07-19T16:42:32",
    statusDate: "2021-07-19T16:42:32",
    status: "Запись",
    revenue: "1000.00",
    phones: ["79157771122", "79009991122"],
    emails: ["name@server.com", "234234@test.com"],
    tags: ["Тег1", "Тег2", "Тег3"],
  });
  // The seed's JSON with customSources moved inside `matching` and phones as we normalise them.
  const expected = `{
    "crm": "название CRM",
    "orders": [
      {
        "matching": [
          {
            "type": "callContact",
            "callContactParams": {
              "phones": ["79157771122", "79009991122"],
              "date": "19-07-2021 16:42:32",
              "callTypeToMatch": "nearest",
              "searchDepth": 259200
            }
          },
          {
            "type": "requestContact",
            "requestContactParams": {
              "emails": ["name@server.com", "234234@test.com"],
              "phones": ["79157771122", "79009991122"],
              "date": "19-07-2021 16:42:32",
              "requestTypeToMatch": "nearest",
              "searchDepth": 259200
            }
          },
          {
            "type": "customSources",
            "customSourceParams": {
              "source": "офлайн-визит",
              "medium": "офлайн-визит",
              "campaign": "офлайн-визит"
            }
          }
        ],
        "orderNumber": "УникальныйIDсделки2",
        "status": "Запись",
        "statusDate": "19-07-2021 16:42:32",
        "orderDate": "19-07-2021 16:42:32",
        "revenue": "1000.00",
        "addTags": [{"tag": "Тег1"}, {"tag": "Тег2"}, {"tag": "Тег3"}]
      }
    ]
  }`;
  const actual = createRequest([createOrder(seedDeal, SETTINGS)], SETTINGS.crm);
  // The same JSON (key order is the column table's, which JSON does not weigh).
  assert.deepEqual(actual, JSON.parse(expected));
});

Deno.test("createOrder() builds the matching chain from the contacts the deal has", async (t) => {
  const cases: { name: string; deal: Deal; matching: unknown[] }[] = [
    {
      name: "only e-mails: requestContact without phones, then customSources",
      deal: deal({ emails: ["a@b.ru"] }),
      matching: [
        {
          type: "requestContact",
          requestContactParams: {
            emails: ["a@b.ru"],
            date: "28-11-2026 15:05:00",
            requestTypeToMatch: "nearest",
            searchDepth: 259200,
          },
        },
        CUSTOM_SOURCES,
      ],
    },
    {
      name: "only phones: callContact and requestContact without e-mails",
      deal: deal({ phones: ["79157771122"] }),
      matching: [
        {
          type: "callContact",
          callContactParams: {
            phones: ["79157771122"],
            date: "28-11-2026 15:05:00",
            callTypeToMatch: "nearest",
            searchDepth: 259200,
          },
        },
        {
          type: "requestContact",
          requestContactParams: {
            phones: ["79157771122"],
            date: "28-11-2026 15:05:00",
            requestTypeToMatch: "nearest",
            searchDepth: 259200,
          },
        },
        CUSTOM_SOURCES,
      ],
    },
    {
      name: "no contacts: customSources only",
      deal: deal(),
      matching: [CUSTOM_SOURCES],
    },
    {
      name: "several phones and e-mails: all of them, in sheet order",
      deal: deal({
        phones: ["79000000003", "79000000001", "79000000002"],
        emails: ["z@x.ru", "a@x.ru"],
      }),
      matching: [
        {
          type: "callContact",
          callContactParams: {
            phones: ["79000000003", "79000000001", "79000000002"],
            date: "28-11-2026 15:05:00",
            callTypeToMatch: "nearest",
            searchDepth: 259200,
          },
        },
        {
          type: "requestContact",
          requestContactParams: {
            emails: ["z@x.ru", "a@x.ru"],
            phones: ["79000000003", "79000000001", "79000000002"],
            date: "28-11-2026 15:05:00",
            requestTypeToMatch: "nearest",
            searchDepth: 259200,
          },
        },
        CUSTOM_SOURCES,
      ],
    },
  ];
  for (const c of cases) {
    await t.step(
      c.name,
      () => assert.deepEqual(createOrder(c.deal, SETTINGS).matching, c.matching),
    );
  }

  await t.step("uses the configured match mode, depth and custom source", () => {
    const order = createOrder(deal({ phones: ["79157771122"], emails: ["a@b.ru"] }), {
      ...SETTINGS,
      matchMode: "nearestUniq",
      searchDepthMinutes: 120,
      customSource: { source: "s", medium: "m", campaign: "c" },
    });
    assert.deepEqual(order.matching, [
      {
        type: "callContact",
        callContactParams: {
          phones: ["79157771122"],
          date: "28-11-2026 15:05:00",
          callTypeToMatch: "nearestUniq",
          searchDepth: 120,
        },
      },
      {
        type: "requestContact",
        requestContactParams: {
          emails: ["a@b.ru"],
          phones: ["79157771122"],
          date: "28-11-2026 15:05:00",
          requestTypeToMatch: "nearestUniq",
          searchDepth: 120,
        },
      },
      { type: "customSources", customSourceParams: { source: "s", medium: "m", campaign: "c" } },
    ]);
  });
});

Deno.test("createOrder() sends the deal's fields and omits those it lacks", async (t) => {
  await t.step("a bare deal has no revenue, tags, manager, name or comment", () => {
    const order = createOrder(deal(), SETTINGS);
    assert.deepEqual(Object.keys(order).sort(), [
      "matching",
      "orderDate",
      "orderNumber",
      "status",
      "statusDate",
    ]);
  });
  await t.step("a full deal sends each field in Calltouch's form", () => {
    const order = createOrder(
      deal({
        orderDate: "2026-11-01T09:00:00",
        statusDate: "2026-11-28T15:05:00",
        revenue: "4500.50",
        tags: ["первичный", "VIP"],
        manager: "Иванова",
        orderName: "Консультация",
        comment: "пришла с мамой",
      }),
      SETTINGS,
    );
    assert.deepEqual({ ...order, matching: undefined }, {
      matching: undefined,
      orderNumber: "1001",
      status: "Запись",
      statusDate: "28-11-2026 15:05:00",
      orderDate: "01-11-2026 09:00:00",
      revenue: "4500.50",
      addTags: [{ tag: "первичный" }, { tag: "VIP" }],
      manager: "Иванова",
      orderName: "Консультация",
      comment: { text: "пришла с мамой" },
    });
  });
  await t.step("tags use the create form: a flat array of {tag}", () => {
    assert.deepEqual(createOrder(deal({ tags: ["a"] }), SETTINGS).addTags, [{ tag: "a" }]);
  });
  await t.step("the matching date is the deal date, not the status date", () => {
    const order = createOrder(
      deal({
        phones: ["79157771122"],
        orderDate: "2026-11-01T09:00:00",
        statusDate: "2026-11-28T15:05:00",
      }),
      SETTINGS,
    );
    assert.equal(order.matching[0].type, "callContact");
    if (order.matching[0].type === "callContact") {
      assert.equal(order.matching[0].callContactParams.date, "01-11-2026 09:00:00");
    }
  });
  await t.step("the order does not share arrays with the deal", () => {
    const d = deal({ phones: ["79157771122"] });
    const order = createOrder(d, SETTINGS);
    d.phones.push("79000000000");
    assert.equal(JSON.stringify(order).includes("79000000000"), false);
  });
});

// 2026-11-30 09:15:00 in Moscow (UTC+3): the moment of the updates below.
const NOW = Date.UTC(2026, 10, 30, 6, 15, 0);
const NOW_CT = "30-11-2026 09:15:00";

/** An update that keeps the status and the date Calltouch holds (`held()`'s default). */
const SAME_STATUS = {
  orderNumber: "1001",
  status: "Запись",
  statusDate: "28-11-2026 15:05:00",
  updateDate: NOW_CT,
};

/** What Calltouch holds of a deal given "Запись" at noon on the 20th (Moscow). */
const RECORDED_AT_NOON = held({ status: "Запись", statusDate: "20-11-2026 12:00:00" });

Deno.test("updateOrder() sends only what can change", async (t) => {
  const cases: {
    name: string;
    deal: Deal;
    rematch: boolean;
    known?: Known;
    expected: Record<string, unknown>;
  }[] = [
    {
      name: "the sheet's status date wins; nothing held: the tag list, even empty",
      deal: deal({
        status: "Оплачено",
        statusDate: "2026-11-29T10:00:00",
        phones: ["79157771122"],
      }),
      rematch: false,
      expected: {
        orderNumber: "1001",
        status: "Оплачено",
        statusDate: "29-11-2026 10:00:00",
        updateDate: NOW_CT,
        addTags: { overwrite: true, tags: [] },
      },
    },
    {
      name: "revenue, manager, name and tags in the update form {overwrite, tags}",
      deal: deal({
        statusDate: undefined,
        revenue: "1000.00",
        manager: "Иванова",
        orderName: "Приём",
        tags: ["Тег1", "Тег2"],
        comment: "не отправляется при обновлении",
      }),
      rematch: false,
      expected: {
        orderNumber: "1001",
        status: "Запись",
        // Nothing held (a state of an older version): the deal date, what it sent then.
        statusDate: "28-11-2026 15:05:00",
        updateDate: NOW_CT,
        revenue: "1000.00",
        addTags: { overwrite: true, tags: [{ tag: "Тег1" }, { tag: "Тег2" }] },
        manager: "Иванова",
        orderName: "Приём",
      },
    },
    {
      name: "a status change without a status-date column: the moment of the update",
      deal: deal({ statusDate: undefined, status: "Пришел" }),
      rematch: false,
      known: RECORDED_AT_NOON,
      expected: {
        orderNumber: "1001",
        status: "Пришел",
        statusDate: NOW_CT,
        updateDate: NOW_CT,
      },
    },
    {
      name: "a sum-only edit keeps the status date Calltouch holds",
      deal: deal({ statusDate: undefined, revenue: "500" }),
      rematch: false,
      known: RECORDED_AT_NOON,
      expected: {
        orderNumber: "1001",
        status: "Запись",
        statusDate: "20-11-2026 12:00:00",
        updateDate: NOW_CT,
        revenue: "500",
      },
    },
    {
      name: "tags the sheet cleared are sent as an empty list (the sheet owns its tags)",
      deal: deal({ tags: [] }),
      rematch: false,
      known: held({ tags: ["МРТ"] }),
      expected: {
        ...SAME_STATUS,
        addTags: { overwrite: true, tags: [] },
      },
    },
    {
      name: "unchanged tags are not sent",
      deal: deal({ tags: ["МРТ"], revenue: "10" }),
      rematch: false,
      known: held({ tags: ["МРТ"] }),
      expected: {
        ...SAME_STATUS,
        revenue: "10",
      },
    },
    {
      name: "tags of a request in doubt are unknown: the list is sent again",
      deal: deal({ tags: [] }),
      rematch: false,
      known: { ...held({}), tags: "?" },
      expected: {
        ...SAME_STATUS,
        addTags: { overwrite: true, tags: [] },
      },
    },
    {
      name: "custom fields only when one changed",
      deal: deal({ custom: { doctor: "Петров", branch: "Центр" } }),
      rematch: false,
      known: held({ custom: { doctor: "Иванов", branch: "Центр" } }),
      expected: {
        ...SAME_STATUS,
        customFields: [{ field: "doctor", value: "Петров" }, { field: "branch", value: "Центр" }],
      },
    },
    {
      name: "after a phone change: reMatching with the new contacts",
      deal: deal({ phones: ["79001112233"], emails: ["a@b.ru"] }),
      rematch: true,
      expected: {
        ...SAME_STATUS,
        addTags: { overwrite: true, tags: [] },
        reMatching: [
          {
            type: "callContact",
            callContactParams: {
              phones: ["79001112233"],
              date: "28-11-2026 15:05:00",
              callTypeToMatch: "nearest",
              searchDepth: 259200,
            },
          },
          {
            type: "requestContact",
            requestContactParams: {
              emails: ["a@b.ru"],
              phones: ["79001112233"],
              date: "28-11-2026 15:05:00",
              requestTypeToMatch: "nearest",
              searchDepth: 259200,
            },
          },
          CUSTOM_SOURCES,
        ],
      },
    },
    {
      name: "rematch of a deal whose contacts were removed: customSources only",
      deal: deal(),
      rematch: true,
      expected: {
        ...SAME_STATUS,
        addTags: { overwrite: true, tags: [] },
        reMatching: [CUSTOM_SOURCES],
      },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.deepEqual(
        updateOrder(c.deal, SETTINGS, { rematch: c.rematch, known: c.known, now: NOW }),
        c.expected,
      );
    });
  }
  await t.step("without rematch there is no reMatching, contacts or deal date", () => {
    const order = updateOrder(deal({ phones: ["79157771122"], emails: ["a@b.ru"] }), SETTINGS, {
      rematch: false,
      now: NOW,
    });
    assert.equal("reMatching" in order, false);
    assert.equal("orderDate" in order, false);
    assert.equal(JSON.stringify(order).includes("79157771122"), false);
  });
  await t.step("with nothing held (a lost or older state) an empty tag list is sent", () => {
    const order = updateOrder(deal({ tags: [] }), SETTINGS, { rematch: false, now: NOW });
    assert.deepEqual(order.addTags, { overwrite: true, tags: [] });
  });
  await t.step("a create in doubt, nothing known before: its tags are unknown, even empty", () => {
    // The deal may have existed (a lost state) with tags of its own; the create not landing
    // leaves them: the retry must send the list, empty or not (found by the soak, seed 55).
    const untagged = deal({ tags: [] });
    const create = createOrder(untagged, SETTINGS);
    const { inDoubt } = knownAfter(untagged, create, undefined, SETTINGS);
    assert.equal(inDoubt.tags, "?");
    assert.equal(inDoubt.custom, "?");
    const retry = updateOrder(untagged, SETTINGS, { rematch: true, known: inDoubt, now: NOW });
    assert.deepEqual(retry.addTags, { overwrite: true, tags: [] });
  });
  await t.step("an update in doubt: what it carried is unknown, what it left is as before", () => {
    const before = held({ status: "Запись", statusDate: "20-11-2026 12:00:00" });
    const same = deal({ custom: {} });
    const update = updateOrder(same, SETTINGS, { rematch: false, known: before, now: NOW });
    const { inDoubt } = knownAfter(same, update, before, SETTINGS);
    assert.equal(update.customFields, undefined, "custom fields unchanged: not sent");
    assert.equal(inDoubt.custom, before.custom, "not carried: still known");
    assert.equal(inDoubt.tags, before.tags);
  });
  await t.step("a retry of a status change in doubt sends the date of the first try", () => {
    const changedDeal = deal({ statusDate: undefined, status: "Пришел" });
    const before = held({ status: "Запись", statusDate: "20-11-2026 12:00:00" });
    const first = updateOrder(changedDeal, SETTINGS, { rematch: false, known: before, now: NOW });
    const { inDoubt } = knownAfter(changedDeal, first, before, SETTINGS);
    const retry = updateOrder(changedDeal, SETTINGS, {
      rematch: false,
      known: inDoubt,
      now: NOW + 86_400_000,
    });
    assert.equal(retry.statusDate, NOW_CT);
    assert.equal(retry.updateDate, "01-12-2026 09:15:00");
  });
});

Deno.test("dates are converted from the sheet's zone to the Calltouch project's", async (t) => {
  await t.step("Moscow sheet, Novosibirsk project: +4 h", () => {
    const zoned = { ...SETTINGS, zones: { sheet: "Europe/Moscow", calltouch: "Asia/Novosibirsk" } };
    const order = createOrder(deal({ phones: ["79157771122"] }), zoned);
    assert.equal(order.orderDate, "28-11-2026 19:05:00");
    assert.equal(order.statusDate, "28-11-2026 19:05:00");
    assert.equal(
      order.matching[0].type === "callContact" && order.matching[0].callContactParams.date,
      "28-11-2026 19:05:00",
    );
    const update = updateOrder(deal({ statusDate: undefined, status: "Пришел" }), zoned, {
      rematch: false,
      known: held({ status: "Запись" }),
      now: NOW,
    });
    assert.equal(update.statusDate, "30-11-2026 13:15:00");
    assert.equal(update.updateDate, "30-11-2026 13:15:00");
  });
  await t.step("a held status date is shown in the project's zone of today", () => {
    // Held while the project was on Moscow time; the project now says Novosibirsk.
    const zoned = { ...SETTINGS, zones: { sheet: "Europe/Moscow", calltouch: "Asia/Novosibirsk" } };
    const order = updateOrder(deal({ statusDate: undefined, revenue: "10" }), zoned, {
      rematch: false,
      known: RECORDED_AT_NOON,
      now: NOW,
    });
    assert.equal(order.statusDate, "20-11-2026 16:00:00");
  });
  await t.step(
    "Berlin sheet, Moscow project: +2 h in winter, +1 h once Berlin keeps summer time",
    () => {
      const zoned = { ...SETTINGS, zones: { sheet: "Europe/Berlin", calltouch: "Europe/Moscow" } };
      const at = (local: string) =>
        createOrder(deal({ orderDate: local, statusDate: local }), zoned).orderDate;
      assert.equal(at("2026-03-29T01:30:00"), "29-03-2026 03:30:00");
      assert.equal(at("2026-03-29T03:30:00"), "29-03-2026 04:30:00");
    },
  );
});

function held(values: {
  status?: string;
  statusDate?: string;
  tags?: string[];
  custom?: Record<string, string>;
}): Known {
  return {
    status: knownHash(values.status ?? "Запись", TEST_KEY),
    statusAt: instantOf(
      fromCalltouchDate(values.statusDate ?? "28-11-2026 15:05:00"),
      "Europe/Moscow",
    ),
    tags: knownHash(values.tags ?? [], TEST_KEY),
    custom: knownHash(values.custom ?? {}, TEST_KEY),
  };
}

Deno.test("envelopes: create carries crm and orders, update carries orders only", () => {
  const d = deal();
  assert.deepEqual(Object.keys(createRequest([createOrder(d, SETTINGS)], "Sheets")), [
    "crm",
    "orders",
  ]);
  assert.deepEqual(createRequest([], "Sheets"), { crm: "Sheets", orders: [] });
  assert.deepEqual(updateRequest([updateOrder(d, SETTINGS, { rematch: false, now: NOW })]), {
    orders: [updateOrder(d, SETTINGS, { rematch: false, now: NOW })],
  });
});

Deno.test("orderBuilder(): a column sent as a tag joins the tag list and never wipes the deal's tags", () => {
  // CONTRIBUTING's example: a source column sent as a tag (here the manager column as one).
  const source = { ...dealColumn("manager"), asTag: true, create: undefined, update: undefined };
  const orders = orderBuilder(DEAL_COLUMNS.map((c) => c.key === "manager" ? source : c));
  const base = deal({ tags: ["сайт", "МРТ"], manager: "Яндекс" });
  const created = orders.createOrder(base, SETTINGS);
  assert.deepEqual(created.addTags, [{ tag: "сайт" }, { tag: "МРТ" }, { tag: "Яндекс" }]);
  assert.equal(created.manager, undefined, "sent as a tag only");
  const known = orders.knownAfter(base, created, undefined, SETTINGS).accepted;

  const same = orders.updateOrder(base, SETTINGS, { rematch: false, known, now: NOW });
  assert.equal(same.addTags, undefined, "nothing changed: Calltouch's tags are left alone");
  const moved = orders.updateOrder({ ...base, manager: "Google" }, SETTINGS, {
    rematch: false,
    known,
    now: NOW,
  });
  assert.deepEqual(moved.addTags, {
    overwrite: true,
    tags: [{ tag: "сайт" }, { tag: "МРТ" }, { tag: "Google" }],
  }, "only the source changed: the sheet's tags are sent with it, not wiped");
  const repeated = orders.tagsOf({ ...base, tags: ["Яндекс"] });
  assert.deepEqual(repeated, ["Яндекс"], "a tag the sheet already lists is not repeated");
});

Deno.test("createOrder() / updateOrder(): funnel, margin and the row's link, each from its entry", () => {
  const sheet = { sheet: { spreadsheetId: "1Abc", tabId: 7 } };
  const full = deal({ row: 9, funnel: "Стоматология", margin: "1200.50" });
  const created = createOrder(full, { ...SETTINGS, ...sheet });
  assert.equal(created.funnel, "Стоматология");
  assert.equal(created.margin, "1200.50");
  assert.equal(
    created.orderLink,
    "https://docs.google.com/spreadsheets/d/1Abc/edit#gid=7&range=9:9",
  );
  const updated = updateOrder(full, { ...SETTINGS, ...sheet }, { rematch: false, now: NOW });
  assert.equal(updated.funnel, "Стоматология");
  assert.equal(updated.margin, "1200.50");
  assert.equal(updated.orderLink, created.orderLink);
  const bare = createOrder(deal(), SETTINGS);
  for (const key of ["funnel", "margin", "orderLink"]) assert.ok(!(key in bare), key);
  assert.ok(!("orderLink" in updateOrder(deal(), SETTINGS, { rematch: false, now: NOW })));
});
