import assert from "node:assert/strict";
import {
  createOrder,
  createRequest,
  type PayloadSettings,
  toCalltouchDate,
  updateOrder,
  updateRequest,
} from "../../src/calltouch/payload.ts";
import type { Deal } from "../../src/deal.ts";

const SETTINGS: PayloadSettings = {
  crm: "название CRM",
  customSource: { source: "офлайн-визит", medium: "офлайн-визит", campaign: "офлайн-визит" },
  searchDepthMinutes: 259200,
  matchMode: "nearest",
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

Deno.test("updateOrder() sends only what can change", async (t) => {
  const cases: {
    name: string;
    deal: Deal;
    rematch: boolean;
    expected: Record<string, unknown>;
  }[] = [
    {
      name: "a status change: status, status date and the tag set (empty clears)",
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
        addTags: { overwrite: true, tags: [] },
      },
    },
    {
      name: "revenue, manager, name and tags in the update form {overwrite, tags}",
      deal: deal({
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
        statusDate: "28-11-2026 15:05:00",
        revenue: "1000.00",
        addTags: { overwrite: true, tags: [{ tag: "Тег1" }, { tag: "Тег2" }] },
        manager: "Иванова",
        orderName: "Приём",
      },
    },
    {
      name: "after a phone change: reMatching with the new contacts",
      deal: deal({ phones: ["79001112233"], emails: ["a@b.ru"] }),
      rematch: true,
      expected: {
        orderNumber: "1001",
        status: "Запись",
        statusDate: "28-11-2026 15:05:00",
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
        orderNumber: "1001",
        status: "Запись",
        statusDate: "28-11-2026 15:05:00",
        addTags: { overwrite: true, tags: [] },
        reMatching: [CUSTOM_SOURCES],
      },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.deepEqual(updateOrder(c.deal, SETTINGS, { rematch: c.rematch }), c.expected);
    });
  }
  await t.step("without rematch there is no reMatching, contacts or deal date", () => {
    const order = updateOrder(deal({ phones: ["79157771122"], emails: ["a@b.ru"] }), SETTINGS, {
      rematch: false,
    });
    assert.equal("reMatching" in order, false);
    assert.equal("orderDate" in order, false);
    assert.equal(JSON.stringify(order).includes("79157771122"), false);
  });
});

Deno.test("envelopes: create carries crm and orders, update carries orders only", () => {
  const d = deal();
  assert.deepEqual(Object.keys(createRequest([createOrder(d, SETTINGS)], "Sheets")), [
    "crm",
    "orders",
  ]);
  assert.deepEqual(createRequest([], "Sheets"), { crm: "Sheets", orders: [] });
  assert.deepEqual(updateRequest([updateOrder(d, SETTINGS, { rematch: false })]), {
    orders: [updateOrder(d, SETTINGS, { rematch: false })],
  });
});
