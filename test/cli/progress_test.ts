/**
 * Progress of long runs: `SyncDeps.onProgress` after each Calltouch batch, and the tool's
 * progress lines on stderr (in-process `main()`, against the emulators).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import type { CellValue } from "../../src/deal.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { runFromSettings, type SyncProgress } from "../../src/sync/run.ts";
import { startCliRig } from "./support.ts";

const DEALS = 250;

function manyDeals(count: number): CellValue[][] {
  const rows: CellValue[][] = [["ID", "Дата", "Статус", "Телефон"]];
  for (let i = 1; i <= count; i++) {
    rows.push([String(5000 + i), "20.11.2026 10:30", "Запись", `+7 915 ${String(1_000_000 + i)}`]);
  }
  return rows;
}

Deno.test("runFromSettings() reports progress after each Calltouch batch", async () => {
  const rig = await startCliRig({ rows: manyDeals(DEALS) });
  try {
    const store = new MemoryStore();
    const events: SyncProgress[] = [];
    const onProgress = (event: SyncProgress) => void events.push(event);
    const report = await runFromSettings(rig.settings, { store, onProgress }, {
      trigger: "manual",
    });
    assert.equal(report.ok, true, JSON.stringify(report.error));
    assert.equal(report.counts.created, DEALS);
    assert.deepEqual(events.splice(0), [
      { operation: "create", batch: 100, done: 100, total: DEALS },
      { operation: "create", batch: 100, done: 200, total: DEALS },
      { operation: "create", batch: 50, done: DEALS, total: DEALS },
    ]);

    // A dry run sends nothing and reports nothing; an update batch reports like a create.
    rig.google.setValues(rig.settings.SPREADSHEET_ID, "'Сделки'!C2", [["Визит"]]);
    await runFromSettings(rig.settings, { store, onProgress }, { trigger: "dry-run" });
    assert.deepEqual(events, []);
    await runFromSettings(rig.settings, { store, onProgress }, { trigger: "manual" });
    assert.deepEqual(events, [{ operation: "update", batch: 1, done: 1, total: 1 }]);
  } finally {
    await rig.close();
  }
});

Deno.test("main() prints progress lines on stderr for runs of several batches, none with --json", async () => {
  const rig = await startCliRig({ rows: manyDeals(DEALS) });
  const dir = await mkdtemp(join(tmpdir(), "cts-cli-progress-"));
  try {
    let stdout = "";
    let stderr = "";
    const io = {
      env: rig.settings,
      cwd: dir,
      stdout: (text: string) => void (stdout += text),
      stderr: (text: string) => void (stderr += text),
    };
    const code = await main(["sync"], io);
    assert.equal(code, 0, stdout + stderr);
    assert.deepEqual(stderr.trimEnd().split("\n"), [
      "Calltouch: 100/250 deals done (create batch of 100)",
      "Calltouch: 200/250 deals done (create batch of 100)",
      "Calltouch: 250/250 deals done (create batch of 50)",
    ]);
    assert.match(stdout, /^ +250 +250 +0 +0 +0 +0 +0 +0$/m);
    assert.match(stdout, /settings from the environment/);

    rig.google.setValues(rig.settings.SPREADSHEET_ID, "'Сделки'!C2:C201", [
      ...Array.from({ length: 200 }, () => ["Визит"]),
    ]);
    stdout = "";
    stderr = "";
    assert.equal(await main(["sync", "--json"], io), 0);
    assert.equal(stderr, "", "--json prints nothing but the report");
    assert.equal(JSON.parse(stdout).counts.updated, 200);
  } finally {
    await rig.close();
    await rm(dir, { recursive: true });
  }
});
