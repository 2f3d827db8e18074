/**
 * The command-line tool's state file (issue 22): every hash in it keyed, the Google token in it
 * encrypted, and `check` saying which key the hashes are under and what to do about it — through
 * a move from the Calltouch token's key to `STATE_KEY` (nothing sent again) and a key it does not
 * know (the sync stops, exit 2, and says how to go on).
 */
import assert from "node:assert/strict";
import { fingerprint, matchingFingerprint } from "../../src/columns/fingerprint.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import type { CellValue } from "../../src/deal.ts";
import { LEGACY } from "../../src/util/hash.ts";
import { deriveStateKey } from "../../src/util/keyring.ts";
import { TEST_STATE_KEY } from "../support/keys.ts";
import { explain, startCliRig } from "./support.ts";

const ROWS: CellValue[][] = [
  ["ID сделки", "Дата сделки", "Статус", "Телефон", "Email"],
  [2001, "20.11.2026 10:30", "Записан", "8 (915) 777-11-22", ""],
  [2002, "20.11.2026 11:00", "Пришёл", "", "anna.smirnova@example.ru"],
];

interface StateFile {
  entries: Record<string, { value: string; metadata?: { key?: string } }>;
}

Deno.test("cli: the state file holds keyed hashes and an encrypted token; check names the key", async (t) => {
  const rig = await startCliRig({ rows: ROWS });
  try {
    const stateFile = async (): Promise<StateFile> => JSON.parse((await rig.stateFile())!.text);

    await t.step("sync: keyed by CALLTOUCH_TOKEN's key, nothing a dump could use", async () => {
      const result = await rig.run(["sync"]);
      assert.equal(result.code, 0, explain(result));
      const file = await stateFile();
      const text = JSON.stringify(file);
      for (const contact of ["9157771122", "777-11-22", "anna.smirnova"]) {
        assert.ok(!text.includes(contact), contact);
      }
      const token = await deriveStateKey(rig.settings.CALLTOUCH_TOKEN);
      const snapshot = Object.entries(file.entries).find(([name]) => name.endsWith(":state"));
      assert.ok(snapshot);
      assert.equal(snapshot[1].metadata?.key, token.id);
      const sheet = parseSheet(rig.cells());
      assert.ok(sheet.ok);
      for (const deal of sheet.deals) {
        assert.ok(!text.includes(fingerprint(deal, LEGACY)), "no unkeyed print");
        assert.ok(!text.includes(matchingFingerprint(deal, LEGACY)));
        assert.ok(text.includes(matchingFingerprint(deal, token.hash)), "the keyed one");
      }
      const names = Object.keys(file.entries);
      assert.ok(!names.some((name) => name.startsWith("v1:google-token:")));
      const sealed = names.find((name) => name.startsWith("v2:google-token:"));
      assert.ok(sealed, "the token is cached");
      assert.deepEqual(Object.keys(JSON.parse(file.entries[sealed].value)).sort(), [
        "data",
        "iv",
        "v",
      ]);
    });

    await t.step("check: the key's source, that the state is under it, and a nudge", async () => {
      const result = await rig.run(["check"]);
      assert.match(
        result.stdout,
        /Stored hashes: keyed with a key derived from CALLTOUCH_TOKEN \(STATE_KEY is not set\), id [0-9a-f]{8}; the stored state is under it\./,
      );
      assert.match(result.stdout, /Warning: STATE_KEY is not set/);
      const json = JSON.parse((await rig.run(["check", "--json"])).stdout);
      assert.equal(json.stateKey.source, "CALLTOUCH_TOKEN");
      assert.equal(json.stateKey.state, "current");
    });

    const env = { STATE_KEY: TEST_STATE_KEY };
    await t.step("with STATE_KEY set, check says the next sync rewrites the state", async () => {
      const result = await rig.run(["check"], { env });
      assert.match(
        result.stdout,
        /keyed with STATE_KEY, id [0-9a-f]{8}; the stored state is under the previous key/,
      );
      assert.doesNotMatch(result.stdout, /Warning: STATE_KEY is not set/);
    });

    await t.step("the sync under STATE_KEY sends nothing again; check: under it now", async () => {
      const sent = rig.calltouch.requests.length;
      const result = await rig.run(["sync"], { env });
      assert.equal(result.code, 0, explain(result));
      assert.equal(rig.calltouch.requests.length, sent, "nothing sent again");
      const file = await stateFile();
      const snapshot = Object.entries(file.entries).find(([name]) => name.endsWith(":state"))!;
      assert.equal(snapshot[1].metadata?.key, (await deriveStateKey(TEST_STATE_KEY)).id);
      assert.match((await rig.run(["check"], { env })).stdout, /the stored state is under it\./);
    });

    await t.step(
      "a key it does not know: check warns, sync stops (exit 2) and says what to do",
      async () => {
        const other = { STATE_KEY: `${TEST_STATE_KEY}-other` };
        const check = await rig.run(["check"], { env: other });
        assert.match(check.stdout, /under another key: set STATE_KEY_PREVIOUS/);
        const sent = rig.calltouch.requests.length;
        const sync = await rig.run(["sync"], { env: other });
        assert.equal(sync.code, 2, explain(sync));
        assert.match(sync.stdout + sync.stderr, /STATE_KEY_PREVIOUS/);
        assert.ok(!(sync.stdout + sync.stderr).includes(TEST_STATE_KEY), "no secret shown");
        assert.equal(rig.calltouch.requests.length, sent);
        const fixed = await rig.run(["sync"], {
          env: { ...other, STATE_KEY_PREVIOUS: TEST_STATE_KEY },
        });
        assert.equal(fixed.code, 0, explain(fixed));
        assert.equal(rig.calltouch.requests.length, sent, "nothing sent again");
      },
    );
  } finally {
    await rig.close();
  }
});
