/**
 * Files derived from the column and settings tables (`scripts/generate.ts`): CI fails when one
 * is stale, so no copy can drift from the table that owns it.
 */
import assert from "node:assert/strict";
import { expected, expectedFiles, generated } from "../scripts/generate.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("every generated file is current (else: deno task generate)", async () => {
  for (const [path, text] of await expectedFiles()) {
    const current = await Deno.readTextFile(new URL(path, ROOT));
    assert.ok(current === text, `${path} is stale: run deno task generate`);
  }
});

Deno.test("a generated part of a file is found between its markers, and only there", () => {
  const item = generated().find((g) => g.block === "settings")!;
  const text = "before\n<!-- generated: settings -->\nold\n<!-- /generated: settings -->\nafter\n";
  const next = expected(item, text);
  assert.ok(next.startsWith("before\n<!-- generated: settings -->\n| name |"));
  assert.ok(next.endsWith("<!-- /generated: settings -->\nafter\n"));
  assert.throws(() => expected(item, "no markers"), /has no "<!-- generated: settings -->"/);
});
