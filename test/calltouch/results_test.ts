import assert from "node:assert/strict";
import { maskPersonalData, OUTCOME_TEXTS, quoteReason } from "../../src/calltouch/messages.ts";
import {
  classifyResult,
  matchResults,
  type Operation,
  readOrdersResponse,
  refusalReason,
} from "../../src/calltouch/results.ts";

const ru = OUTCOME_TEXTS.ru;

Deno.test("classifyResult() reads an error of any shape", async (t) => {
  const cases: {
    name: string;
    operation: Operation;
    result: Record<string, unknown> | undefined;
    kind: string;
    message?: RegExp;
  }[] = [
    {
      name: "error null → accepted",
      operation: "create",
      result: { error: null },
      kind: "accepted",
    },
    { name: "error absent → accepted", operation: "update", result: {}, kind: "accepted" },
    {
      name: "error empty string → accepted",
      operation: "create",
      result: { error: "" },
      kind: "accepted",
    },
    { name: "no result → transient", operation: "create", result: undefined, kind: "transient" },
    {
      name: "code ORDER_ALREADY_EXISTS on create → exists",
      operation: "create",
      result: { error: { code: "ORDER_ALREADY_EXISTS", message: "duplicate" } },
      kind: "exists",
    },
    {
      name: "Russian text «уже существует» on create → exists",
      operation: "create",
      result: { error: "Сделка с таким orderNumber уже существует" },
      kind: "exists",
    },
    {
      name: "English text on create → exists",
      operation: "create",
      result: { error: "Order 1001 already exists" },
      kind: "exists",
    },
    {
      name: "code ORDER_NOT_FOUND on update → notFound",
      operation: "update",
      result: { error: { code: "ORDER_NOT_FOUND" } },
      kind: "notFound",
    },
    {
      name: "Russian text «не найдена» on update → notFound",
      operation: "update",
      result: { error: "Сделка не найдена" },
      kind: "notFound",
    },
    {
      name: "«does not exist» on update → notFound",
      operation: "update",
      result: { error: { message: "Order does not exist" } },
      kind: "notFound",
    },
    {
      name: "a lead not found is not a missing deal → rejected",
      operation: "update",
      result: { error: "Lead not found for reMatching" },
      kind: "rejected",
    },
    {
      name: "«already exists» on update is not notFound → rejected",
      operation: "update",
      result: { error: "ORDER_ALREADY_EXISTS" },
      kind: "rejected",
    },
    {
      name: "an unknown object keeps its words → rejected",
      operation: "create",
      result: { error: { reason: "Статус не из воронки" } },
      kind: "rejected",
      message: /^Статус не из воронки$/,
    },
    {
      name: "an object without known keys is quoted as JSON",
      operation: "create",
      result: { error: { foo: 1 } },
      kind: "rejected",
      message: /"foo":1/,
    },
    {
      name: "code and message are both shown",
      operation: "create",
      result: { error: { code: "INVALID_STATUS", message: "Unknown status" } },
      kind: "rejected",
      message: /^INVALID_STATUS: Unknown status$/,
    },
    {
      name: "an array of errors",
      operation: "create",
      result: { error: [{ code: "A", message: "first" }, "second"] },
      kind: "rejected",
      message: /first; second/,
    },
    {
      name: "updateStatus: error without error text → not accepted",
      operation: "update",
      result: { updateStatus: "error", error: null },
      kind: "rejected",
    },
    {
      name: "a temporary per-order error → transient",
      operation: "create",
      result: { error: { code: "INTERNAL_ERROR", message: "try again later" } },
      kind: "transient",
    },
    {
      name: "a phone in the reason is masked",
      operation: "create",
      result: { error: "Телефон +7 (915) 777-11-22 в чёрном списке" },
      kind: "rejected",
      message: /^Телефон 7915\*\*\*1122 в чёрном списке$/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const outcome = classifyResult("1001", c.result, c.operation, ru);
      assert.equal(outcome.kind, c.kind);
      assert.equal(outcome.orderNumber, "1001");
      if (c.message) assert.match("message" in outcome ? outcome.message : "", c.message);
    });
  }

  await t.step("calltouchOrderId is kept as a string", () => {
    assert.deepEqual(
      classifyResult("1", { calltouchOrderId: 9912345, error: null }, "create", ru),
      {
        orderNumber: "1",
        kind: "accepted",
        calltouchOrderId: "9912345",
      },
    );
  });
});

Deno.test("matchResults() pairs results with orders", async (t) => {
  await t.step("by position when results carry no orderNumber", () => {
    const results = matchResults(["a", "b"], [{ calltouchOrderId: 1 }, { calltouchOrderId: 2 }]);
    assert.deepEqual(results.map((r) => r?.calltouchOrderId), [1, 2]);
  });
  await t.step("by orderNumber, in any order, numbers or strings", () => {
    const results = matchResults(["1", "2", "3"], [
      { orderNumber: 3, calltouchOrderId: 30 },
      { orderNumber: "1", calltouchOrderId: 10 },
      { orderNumber: "2", calltouchOrderId: 20 },
    ]);
    assert.deepEqual(results.map((r) => r?.calltouchOrderId), [10, 20, 30]);
  });
  await t.step("a missing or foreign result is undefined, never someone else's", () => {
    const results = matchResults(["a", "b", "c"], [
      { orderNumber: "b", calltouchOrderId: 2 },
      { orderNumber: "x", calltouchOrderId: 9 },
      "not an object",
    ]);
    assert.deepEqual(results.map((r) => r?.calltouchOrderId), [undefined, 2, undefined]);
  });
  await t.step("fewer results than orders", () => {
    assert.deepEqual(matchResults(["a", "b"], [{ error: null }]).map((r) => r !== undefined), [
      true,
      false,
    ]);
  });
});

Deno.test("readOrdersResponse() never takes an unclear answer for success", async (t) => {
  const cases: [string, string][] = [
    ["not JSON", "<html>OK</html>"],
    ["no data", '{"meta":{}}'],
    ["orders not an array", '{"data":{"orders":{}}}'],
    ["a validation error in a 2xx", '{"data":{"validationErrorData":[]}}'],
    ["empty body", ""],
  ];
  for (const [name, body] of cases) {
    await t.step(name, () => {
      const outcomes = readOrdersResponse(["a", "b"], body, "create", ru);
      assert.deepEqual(outcomes.map((o) => o.kind), ["transient", "transient"]);
    });
  }
  await t.step("extra fields are tolerated", () => {
    const body = JSON.stringify({
      meta: { x: 1 },
      data: { orders: [{ calltouchOrderId: 5, error: null, matchedBy: "callContact" }], more: 1 },
      extra: true,
    });
    assert.deepEqual(readOrdersResponse(["a"], body, "create", ru), [
      { orderNumber: "a", kind: "accepted", calltouchOrderId: "5" },
    ]);
  });
});

Deno.test("refusalReason() words a whole-request refusal", async (t) => {
  const cases: [string, number, string, RegExp][] = [
    [
      "validationErrorData with fields",
      400,
      JSON.stringify({
        meta: {},
        data: {
          validationErrorData: [
            { field: "orders[0].orderDate", message: "expected dd-MM-yyyy HH:mm:ss" },
          ],
        },
      }),
      /^orderDate: expected dd-MM-yyyy HH:mm:ss$/,
    ],
    [
      "validationErrorData as an object",
      400,
      '{"data":{"validationErrorData":{"revenue":"must be a string"}}}',
      /revenue: must be a string/,
    ],
    ["validationErrorData as a string", 400, '{"data":{"validationErrorData":"bad"}}', /^bad$/],
    ["a plain text body", 400, "Bad Request", /^Bad Request$/],
    ["an empty body", 422, "", /^HTTP 422$/],
    [
      "an e-mail in the body is masked",
      400,
      '{"data":{"validationErrorData":["bad email name@server.com"]}}',
      /^bad email n\*\*\*@server\.com$/,
    ],
  ];
  for (const [name, status, body, expected] of cases) {
    await t.step(name, () => assert.match(refusalReason(status, body), expected));
  }
});

Deno.test("maskPersonalData() hides phones and e-mails but keeps dates and amounts", async (t) => {
  const cases: [string, string][] = [
    ["79157771122", "7915***1122"],
    ["tel: +7 (915) 777-11-22.", "tel: 7915***1122."],
    ["8 915 777 11 22", "8915***1122"],
    ["name@server.com and 234234@test.com", "n***@server.com and 2***@test.com"],
    ["19-07-2021 16:42:32", "19-07-2021 16:42:32"],
    ["revenue 1000.00, id 1234", "revenue 1000.00, id 1234"],
  ];
  for (const [input, expected] of cases) {
    await t.step(input, () => assert.equal(maskPersonalData(input), expected));
  }
  await t.step("quoteReason() makes it one bounded line", () => {
    const quoted = quoteReason(`a\n\n b ${"x".repeat(1000)}`);
    assert.ok(quoted.startsWith("a b x"));
    assert.ok(quoted.length <= 300);
    assert.ok(quoted.endsWith("…"));
  });
});
