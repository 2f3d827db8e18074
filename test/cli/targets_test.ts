/** The command-line tool with `TARGETS`: it runs the one target `--target` names. */
import assert from "node:assert/strict";
import { EXIT } from "../../src/cli/exit.ts";
import { SPREADSHEET_ID, startCliRig, TAB } from "./support.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма"];

Deno.test("cli with TARGETS: --target picks the target; none named is a clear error", async () => {
  const rig = await startCliRig({ rows: [HEADER, ["A1", "20.11.2026", "Запись", 100]] });
  try {
    rig.google.addSheet(SPREADSHEET_ID, {
      title: "Филиал 2",
      values: [HEADER, ["B1", "21.11.2026", "Запись", 200], ["B2", "21.11.2026", "Запись", 300]],
    });
    const target = (id: string, tab: string) => ({
      id,
      spreadsheet: SPREADSHEET_ID,
      tab,
      calltouchSiteId: rig.calltouch.siteId,
      calltouchTokenSecret: `CALLTOUCH_TOKEN_${id.toUpperCase()}`,
    });
    const env = {
      TARGETS: JSON.stringify([target("f1", TAB), target("f2", "Филиал 2")]),
      CALLTOUCH_TOKEN_F1: rig.calltouch.token,
      CALLTOUCH_TOKEN_F2: rig.calltouch.token,
    };
    const unnamed = await rig.run(["sync"], { env });
    assert.equal(unnamed.code, EXIT.fatal);
    assert.match(unnamed.stderr, /name one with --target \(f1, f2\)/);
    const unknown = await rig.run(["sync", "--target", "f9"], { env });
    assert.equal(unknown.code, EXIT.fatal);
    assert.match(unknown.stderr, /No target "f9"/);

    const check = await rig.run(["check"], { env });
    assert.equal(check.code, EXIT.ok, check.stderr);
    assert.match(check.stdout, /check: 2 targets/);
    assert.match(check.stdout, /f1 +tab «Сделки» → \d+ +ok: 1 deals to send/);
    assert.match(check.stdout, /f2 +tab «Филиал 2» → \d+ +ok: 2 deals to send/);
    // The rig's GOOGLE_READS_PER_MINUTE (the emulator counts no quota), a project five times it.
    assert.match(
      check.stdout,
      /Google quota \(100000 reads a minute per service account, 500000 per project/,
    );
    assert.match(
      check.stdout,
      /at \*\/5 \* \* \* \* \(.*\) one tick serves 2 of 2 targets: every target, every tick/,
    );
    const checkJson = await rig.run(["check", "--json"], { env });
    assert.deepEqual(
      [JSON.parse(checkJson.stdout).quota.perTick, JSON.parse(checkJson.stdout).quota.fits],
      [2, true],
    );
    const broken = await rig.run(["check"], { env: { ...env, CALLTOUCH_TOKEN_F2: "" } });
    assert.equal(broken.code, EXIT.fatal);
    assert.match(broken.stdout, /settings: TARGETS "f2": the secret CALLTOUCH_TOKEN_F2/);

    const f2 = await rig.run(["sync", "--target", "f2", "--json"], { env });
    assert.equal(f2.code, EXIT.ok, f2.stderr);
    assert.equal(JSON.parse(f2.stdout).counts.created, 2);
    assert.deepEqual([...rig.calltouch.deals.keys()].sort(), ["B1", "B2"]);
  } finally {
    await rig.close();
  }
});
