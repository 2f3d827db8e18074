/**
 * `probe` against the Calltouch emulator: the calls whose answers the documentation leaves open,
 * each read and judged, saved to a file that the emulator can replay, and a sync run against the
 * replayed answers.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import type { ProbeReport } from "../../src/cli/probe_calls.ts";
import { main } from "../../src/cli/main.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { runFromSettings } from "../../src/sync/run.ts";
import type { RunReport } from "../../src/sync/report.ts";
import {
  type CalltouchEmulator,
  type CalltouchSwitches,
  startCalltouchEmulator,
} from "../emulators/calltouch.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { DEMO_VALID_IDS } from "../support/demo_sheet.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";

/** Runs `probe` in-process against `calltouch`, in a fresh directory. */
async function probe(calltouch: CalltouchEmulator, args: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), "cts-probe-"));
  let stdout = "";
  let stderr = "";
  const code = await main(["probe", "--order-number", "probe-1", ...args], {
    env: {
      CALLTOUCH_SITE_ID: calltouch.siteId,
      CALLTOUCH_TOKEN: calltouch.token,
      CALLTOUCH_API_URL: calltouch.url,
    },
    cwd: dir,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  const file = join(dir, "calltouch-probe-probe-1.json");
  const report = JSON.parse(await readFile(file, "utf8")) as ProbeReport;
  await rm(dir, { recursive: true, force: true });
  return { code, stdout, stderr, report };
}

Deno.test("probe against the emulator prints the five readings and writes the file", async () => {
  const calltouch = await startCalltouchEmulator();
  try {
    const { code, stdout, report } = await probe(calltouch);
    assert.equal(code, 0, stdout);
    assert.deepEqual(report.calls.map((c) => [c.situation, c.reading, c.intended]), [
      ["createNew", "accepted", true],
      ["createExisting", "exists", true],
      ["updateExisting", "accepted", true],
      ["updateMissing", "not found", true],
      ["updateEmptyTags", "accepted", true],
    ]);
    assert.equal(calltouch.requests.length, 5);
    for (const call of report.calls) {
      assert.match(stdout, new RegExp(`${call.step}\\. ${call.title}`));
    }
    assert.match(stdout, /HTTP 200 \{"meta":\{\},"data":\{"orders":\[/);
    assert.match(stdout, /the sync can go live/);
    assert.match(stdout, /Saved to .*calltouch-probe-probe-1\.json/);
    assert.ok(
      !stdout.includes(calltouch.token) && !JSON.stringify(report).includes(calltouch.token),
    );
    assert.match(report.calls[0].orderNumber, /^probe-1$/);
    assert.equal(report.calls[3].orderNumber, "probe-1-missing");
    // The test deal carries no contacts, and says it is a test.
    const deal = calltouch.deals.get("probe-1");
    assert.match(String(deal?.fields.orderName), /ТЕСТ/);
    assert.doesNotMatch(JSON.stringify(deal?.matching), /phones|emails/);
    assert.deepEqual(deal?.tags, [], "the empty tag list cleared its tags");
  } finally {
    await calltouch.close();
  }
});

Deno.test("probe judges other answer forms", async (t) => {
  const cases: [string, Partial<CalltouchSwitches>, number, [string, boolean][]][] = [
    ["upserts both ways", { duplicateCreate: "upsert", updateMissing: "create" }, 0, [
      ["accepted", true],
      ["accepted", true],
      ["accepted", true],
      ["accepted", true],
      ["accepted", true], // cannot tell: duplicates are accepted too
      ["accepted", true],
    ]],
    ["an update of a missing deal silently ignored", { updateMissing: "ignore" }, 1, [
      ["accepted", true],
      ["exists", true],
      ["accepted", true],
      ["accepted", true],
      ["accepted", false],
      ["accepted", true],
    ]],
    ["whole-request 409 in arbitrary words", { refusal: 409, wording: "arbitrary" }, 0, [
      ["accepted", true],
      ["exists", true],
      ["accepted", true],
      ["not found", true],
      ["accepted", true],
    ]],
  ];
  for (const [name, switches, exit, readings] of cases) {
    await t.step(name, async () => {
      const calltouch = await startCalltouchEmulator(switches);
      try {
        const { code, report } = await probe(calltouch);
        assert.equal(code, exit);
        assert.deepEqual(report.calls.map((c) => [c.reading, c.intended]), readings);
      } finally {
        await calltouch.close();
      }
    });
  }
  await t.step("refused credentials stop it with the settings to check", async () => {
    const calltouch = await startCalltouchEmulator({ token: "other" });
    try {
      let stderr = "";
      const code = await main(["probe"], {
        env: {
          CALLTOUCH_SITE_ID: calltouch.siteId,
          CALLTOUCH_TOKEN: "wrong-token",
          CALLTOUCH_API_URL: calltouch.url,
        },
        cwd: await Deno.makeTempDir(),
        stdout: () => {},
        stderr: (text) => void (stderr += text),
      });
      assert.equal(code, 2);
      assert.match(stderr, /CALLTOUCH_TOKEN/);
    } finally {
      await calltouch.close();
    }
  });
});

Deno.test("a saved probe file replayed by the emulator: the sync converges on those answers", async () => {
  // Record a Calltouch that refuses duplicates as a whole-request 409 in words no pattern knows
  // and answers updates without per-order results.
  const recorder = await startCalltouchEmulator({
    refusal: 409,
    wording: "arbitrary",
    answer: "successOnly",
  });
  const { report } = await probe(recorder).finally(() => recorder.close());
  assert.equal(report.calls[1].status, 409);

  const replaying = await startCalltouchEmulator({ replay: report });
  const google = await startGoogleEmulator();
  const account = await testServiceAccount();
  try {
    const id = "1ReplayClinic_abcdefghijklmnopqrstuvwxyz01234";
    google.createSpreadsheet({
      spreadsheetId: id,
      timeZone: "Europe/Moscow",
      sheets: [{ title: "Сделки", values: await demoClinicRows() }],
      sharedWith: [account.clientEmail],
    });
    const settings = {
      ...emulatorSettings({ spreadsheetId: id, google, calltouch: replaying, account }),
      SYNC_TIME_BUDGET_SECONDS: "30",
    };
    const sync = (store: MemoryStore) =>
      runFromSettings(settings, { store }, { trigger: "manual" }) as Promise<RunReport>;
    const first = await sync(new MemoryStore());
    assert.equal(first.counts.created, DEMO_VALID_IDS.length);
    // A lost state: every deal is planned as a create of a deal that exists.
    const again = new MemoryStore();
    const lost = await sync(again);
    assert.equal(lost.ok, true);
    assert.equal(lost.counts.updated, DEMO_VALID_IDS.length);
    assert.ok(replaying.requests.some((r) => r.status === 409), "the recorded 409 was replayed");
    assert.ok([...replaying.deals.values()].every((d) => d.createCount === 1));
    assert.equal((await sync(again)).requests.calltouch, 0);
  } finally {
    await replaying.close();
    await google.close();
  }
});
