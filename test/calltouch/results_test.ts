import assert from "node:assert/strict";
import { maskPersonalData, quoteReason } from "../../src/calltouch/quote.ts";
import {
  describeError,
  type OrderReadings,
  readAcceptedAnswer,
  refusalReason,
} from "../../src/calltouch/results.ts";

/** The kinds of one reading per order ("?" for an ambiguous one), or "refused-whole". */
function kinds(read: OrderReadings | { reason: string }): string[] | string {
  return Array.isArray(read) ? read.map((r) => r?.kind ?? "?") : "refused-whole";
}

function body(orders: unknown): string {
  return JSON.stringify({ meta: {}, data: { orders } });
}

Deno.test("readAcceptedAnswer() reads a per-order result of every shape", async (t) => {
  // A wrong reading here is silent loss (a refused deal shown ✅) or a false hold: every shape
  // the documentation leaves open is pinned.
  const cases: [name: string, result: unknown, kind: "accepted" | "refused", reason?: RegExp][] = [
    ["error null", { error: null }, "accepted"],
    ["error absent", {}, "accepted"],
    ["error false", { error: false }, "accepted"],
    ['error ""', { error: "" }, "accepted"],
    ["error {}", { error: {} }, "accepted"],
    ["error []", { error: [] }, "accepted"],
    ["error {code: null, message: null}", { error: { code: null, message: null } }, "accepted"],
    ["error as a string", { error: "Статус не из воронки" }, "refused", /^Статус не из воронки$/],
    [
      "error as an object",
      { error: { code: "INVALID_STATUS", message: "Unknown status" } },
      "refused",
      /^Unknown status$/,
    ],
    ["error with a code only", { error: { code: "E17" } }, "refused", /^E17$/],
    [
      "error as a one-entry array",
      { error: [{ code: "A", message: "first" }] },
      "refused",
      /^first$/,
    ],
    [
      "error as an array of two",
      { error: [{ message: "first" }, "second"] },
      "refused",
      /^first; second$/,
    ],
    ["error true", { error: true }, "refused", /^$/],
    ["errors: [{message}]", { errors: [{ message: "bad tag" }] }, "refused", /^bad tag$/],
    ["an object of unknown keys keeps its words", { error: { reason: "нет" } }, "refused", /^нет$/],
    ["an object without words is no JSON dump", { error: { foo: 1 } }, "refused", /^$/],
    ["success: false without error", { success: false }, "refused", /^$/],
    [
      "success: false with a message",
      { success: false, message: "Проект заблокирован" },
      "refused",
      /^Проект заблокирован$/,
    ],
    ["success: true", { success: true }, "accepted"],
    // `false` as "no": each flag alone, with no words (silent loss if read as accepted).
    ["ok: false without error", { ok: false }, "refused", /^$/],
    ["ok: false with a message", { ok: false, message: "Дубль" }, "refused", /^Дубль$/],
    ["ok: true", { ok: true }, "accepted"],
    ["imported: false without error", { imported: false }, "refused", /^$/],
    ["imported: true", { imported: true }, "accepted"],
    ["updateStatus: error without error", { updateStatus: "error", error: null }, "refused"],
    ["createStatus: FAILED", { createStatus: "FAILED" }, "refused"],
    ["updateStatus: success", { updateStatus: "success", error: null }, "accepted"],
    ["an unknown status value", { updateStatus: "PROCESSED" }, "accepted"],
    ["an unknown status field", { stage: "error" }, "accepted"],
    ["the deal's own status echoed", { orderNumber: "1001", status: "Отказ" }, "accepted"],
    [
      "a phone in the reason is masked",
      { error: "Телефон +7 (915) 777-11-22 в чёрном списке" },
      "refused",
      /^Телефон 7915\*\*\*1122 в чёрном списке$/,
    ],
    ["a bare string result", "duplicate", "refused", /^duplicate$/],
    ["a bare true result", true, "accepted"],
    ["a bare false result", false, "refused", /^$/],
    ["a null result", null, "accepted"],
  ];
  for (const [name, result, kind, reason] of cases) {
    await t.step(`${name} → ${kind}`, () => {
      const [reading] = readAcceptedAnswer(["1001"], body([result])) as OrderReadings;
      assert.equal(reading?.kind, kind);
      if (reason && reading?.kind === "refused") assert.match(reading.reason, reason);
    });
  }
  await t.step("calltouchOrderId is kept as a string", () => {
    assert.deepEqual(
      readAcceptedAnswer(["1"], body([{ calltouchOrderId: 9912345, error: null }])),
      [{ kind: "accepted", calltouchOrderId: "9912345" }],
    );
  });
});

Deno.test("readAcceptedAnswer() pairs results with orders", async (t) => {
  await t.step("by position when results carry no orderNumber", () => {
    const read = readAcceptedAnswer(["a", "b"], body([{ error: null }, { error: "bad" }]));
    assert.deepEqual(kinds(read), ["accepted", "refused"]);
  });
  await t.step("by orderNumber, in another order than sent, numbers or strings", () => {
    const read = readAcceptedAnswer(
      ["1", "2", "3"],
      body([{ orderNumber: 3, error: "third" }, { orderNumber: "1" }, { orderNumber: "2" }]),
    );
    assert.deepEqual(kinds(read), ["accepted", "accepted", "refused"]);
  });
  await t.step("a result missing for one order: the 2xx accepts it", () => {
    const read = readAcceptedAnswer(["a", "b"], body([{ orderNumber: "a", error: null }]));
    assert.deepEqual(kinds(read), ["accepted", "accepted"]);
  });
  await t.step("a result missing, and the others say nothing: all accepted", () => {
    assert.deepEqual(kinds(readAcceptedAnswer(["a", "b", "c"], body([{}, {}]))), [
      "accepted",
      "accepted",
      "accepted",
    ]);
  });
  await t.step("an error that cannot be paired makes the unpaired orders ambiguous", () => {
    const read = readAcceptedAnswer(
      ["a", "b", "c"],
      body([{ orderNumber: "a" }, { error: "bad" }]),
    );
    assert.deepEqual(kinds(read), ["accepted", "?", "?"]);
  });
  await t.step("a positional result naming another order is not taken for this one", () => {
    const read = readAcceptedAnswer(["a", "b"], body([{ orderNumber: "x", error: "bad" }, {}]));
    assert.deepEqual(kinds(read), ["accepted", "accepted"]);
  });
  await t.step("results keyed by order number in an object", () => {
    const json = JSON.stringify({ data: { orders: { a: { error: null }, b: { error: "bad" } } } });
    assert.deepEqual(kinds(readAcceptedAnswer(["a", "b"], json)), ["accepted", "refused"]);
  });
});

Deno.test("readAcceptedAnswer() takes any 2xx without per-order results for success", async (t) => {
  const cases: [string, string][] = [
    ["{data: {success: true}}", '{"data":{"success":true}}'],
    ["an empty body", ""],
    ["data: null", '{"meta":{},"data":null}'],
    ["no data", '{"meta":{}}'],
    ["data.orders absent", '{"meta":{},"data":{}}'],
    ["data.orders empty", '{"meta":{},"data":{"orders":[]}}'],
    ["not JSON", "<html>OK</html>"],
    ["meta as an empty array", '{"meta":[],"data":{}}'],
  ];
  for (const [name, text] of cases) {
    await t.step(name, () => {
      assert.deepEqual(kinds(readAcceptedAnswer(["a", "b"], text)), ["accepted", "accepted"]);
    });
  }
});

Deno.test("readAcceptedAnswer() takes a 2xx that says it failed for a whole refusal", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["success: false", '{"success":false,"message":"Token expired"}', /^Token expired$/],
    ["data.success: false", '{"data":{"success":false}}', /^$/],
    ["meta.status 400", '{"meta":{"status":400,"message":"Bad order"},"data":null}', /^Bad order$/],
    ["meta.status 599", '{"meta":{"status":599},"data":null}', /^$/],
    ["a top-level error", '{"error":{"message":"no"}}', /^no$/],
    [
      "validationErrorData",
      '{"data":{"validationErrorData":[{"field":"x","message":"y"}]}}',
      /^x: y$/,
    ],
  ];
  for (const [name, text, reason] of cases) {
    await t.step(name, () => {
      const read = readAcceptedAnswer(["a"], text);
      assert.ok(!Array.isArray(read));
      assert.match((read as { reason: string }).reason, reason);
    });
  }
  await t.step("a meta.status that is no HTTP error (200, 399, 600) is not a refusal", () => {
    for (const status of [200, 399, 600]) {
      const read = readAcceptedAnswer(["a"], JSON.stringify({ meta: { status }, data: null }));
      assert.deepEqual(kinds(read), ["accepted"], String(status));
    }
  });
});

Deno.test("refusalReason() words a whole-request refusal, never as JSON", async (t) => {
  const cases: [string, number, string, RegExp, boolean][] = [
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
      true,
    ],
    [
      "validationErrorData as an object",
      400,
      '{"data":{"validationErrorData":{"revenue":"must be a string"}}}',
      /^revenue: must be a string$/,
      true,
    ],
    [
      "validationErrorData as a string",
      400,
      '{"data":{"validationErrorData":"bad"}}',
      /^bad$/,
      true,
    ],
    ["meta.message", 409, '{"meta":{"message":"Дубликат"},"data":null}', /^Дубликат$/, true],
    ["error.message", 422, '{"error":{"code":"X","message":"Нельзя"}}', /^Нельзя$/, false],
    [
      "a Spring error is not Calltouch's JSON",
      404,
      '{"timestamp":"2026-11-29T00:00:00Z","status":404,"error":"Not Found","path":"/x"}',
      /^Not Found$/,
      false,
    ],
    ["a plain text body", 400, "Bad Request", /^Bad Request$/, false],
    ["an HTML page gives no words", 404, "<html><body>nginx</body></html>", /^HTTP 404$/, false],
    ["an empty body", 422, "", /^HTTP 422$/, false],
    ["a JSON object without words", 400, '{"data":{"x":{}}}', /^HTTP 400$/, true],
    [
      "an e-mail in the body is masked",
      400,
      '{"data":{"validationErrorData":["bad email name@server.com"]}}',
      /^bad email n\*\*\*@server\.com$/,
      true,
    ],
  ];
  for (const [name, status, text, expected, calltouchBody] of cases) {
    await t.step(name, () => {
      const refusal = refusalReason(status, text);
      assert.match(refusal.reason, expected);
      assert.equal(refusal.calltouchBody, calltouchBody);
      assert.doesNotMatch(refusal.reason, /[{}"]/);
    });
  }
  await t.step("a long reason is cut to a readable length", () => {
    const long = JSON.stringify({ data: { validationErrorData: "x".repeat(1000) } });
    const { reason } = refusalReason(400, long);
    assert.ok(reason.length <= 200 && reason.endsWith("…"));
  });
});

Deno.test("describeError() finds the words wherever they are", () => {
  assert.equal(describeError({ field: "orders[2].revenue", message: "bad" }), "revenue: bad");
  assert.equal(describeError({ error: { errors: [{ detail: "deep" }] } }), "deep");
  assert.equal(describeError([{ message: "same" }, { message: "same" }]), "same");
  assert.equal(describeError({ code: 0, message: "" }), "");
  assert.equal(describeError({ title: "Bad Request", code: 400 }), "Bad Request");
  assert.equal(describeError({ reason: "нет", title: "Bad Request" }), "нет");
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
    assert.ok(quoted.length <= 200);
    assert.ok(quoted.endsWith("…"));
  });
});
