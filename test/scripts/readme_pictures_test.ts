/**
 * The README's pictures show the current panel: the pages they were photographed from (their
 * digests in docs/images/made-from.json, written by `deno task screenshots --update-readme`)
 * are the pages the Worker answers today for the same demo sheet. No browser needed.
 */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { digestsOf, MADE_FROM, pageDigest, pictureSources } from "../../scripts/readme_pictures.ts";
import { startRig } from "../support/e2e.ts";

Deno.test("the README's pictures were made from the current panel and sheet", async () => {
  const recorded = JSON.parse(await Deno.readTextFile(MADE_FROM));
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const current = await digestsOf(await pictureSources(rig));
    assert.deepEqual(
      current,
      recorded,
      "docs/images/ shows another panel or sheet than today's: run " +
        "`deno task screenshots --update-readme` (needs Chromium) and commit docs/images/",
    );
  } finally {
    await rig.close();
  }
});

Deno.test("a page's digest ignores numbers (times, durations, ports) but not words", async () => {
  const a = await pageDigest("<p>Последний запуск 12:05, 0.4 с</p>");
  assert.equal(a, await pageDigest("<p>Последний запуск 09:41, 1.7 с</p>"));
  assert.notEqual(a, await pageDigest("<p>Последний запуск 12:05, 0.4 s</p>"));
});
