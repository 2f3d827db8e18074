/** Custom-field columns (`CUSTOM_FIELDS`): the setting's form, and which column a mapping takes. */
import assert from "node:assert/strict";
import { customFieldsFrom } from "../../src/columns/custom.ts";
import { mapHeader } from "../../src/columns/header.ts";
import { parseSheet } from "../../src/columns/parse.ts";

Deno.test("customFieldsFrom() reads Header=field pairs and says what is wrong", () => {
  assert.deepEqual(customFieldsFrom(" Врач=doctor;\nФилиал = branch ;"), [
    { header: "Врач", field: "doctor" },
    { header: "Филиал", field: "branch" },
  ]);
  assert.deepEqual(customFieldsFrom(""), []);
  const problems: [string, RegExp][] = [
    ["Врач", /must be Header=field pairs/],
    ["Врач=doc tor", /must be Header=field pairs/],
    ["Врач=a=b", /must be Header=field pairs/],
    ["Врач=a; врач=b", /names the column "врач" twice/],
    ["Врач=a; Филиал=a", /names the custom field "a" twice/],
    ["ID сделки=id", /"ID сделки", a column the sync needs for itself/],
    ["Статус=state", /a column the sync needs for itself/],
    ["Calltouch=sync", /a column the sync needs for itself/],
    ["Источник (Calltouch)=src", /a column the sync needs for itself/],
  ];
  for (const [text, expected] of problems) {
    const result = customFieldsFrom(text);
    assert.equal(typeof result, "string", text);
    assert.match(result as string, expected, text);
  }
});

Deno.test("a mapping takes its column even under a header the sync knows (an optional one)", () => {
  // A deployment that sent «Маржа» as a custom field before the margin column existed keeps doing so.
  const custom = customFieldsFrom("Маржа=grossprofit");
  assert.ok(Array.isArray(custom));
  const header = ["ID", "Дата", "Статус", "Маржа"];
  const mapping = mapHeader(header, custom);
  assert.ok(mapping.ok);
  assert.equal(mapping.columns.margin, undefined);
  assert.deepEqual(mapping.columns.custom, [{ field: "grossprofit", header: "Маржа", index: 3 }]);
  const sheet = parseSheet([header, ["1", "20.11.2026", "Запись", "1 200"]], {
    customFields: custom,
  });
  assert.ok(sheet.ok);
  assert.equal(sheet.deals[0].margin, undefined);
  assert.deepEqual(sheet.deals[0].custom, { grossprofit: "1 200" });
  // Without the mapping, the column is the margin.
  const plain = parseSheet([header, ["1", "20.11.2026", "Запись", "1 200"]]);
  assert.ok(plain.ok);
  assert.equal(plain.deals[0].margin, "1200.00");
});
