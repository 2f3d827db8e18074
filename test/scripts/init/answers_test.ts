/** The command line and the answers file of `deno task init`. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseInitArgs, readAnswersFile } from "../../../scripts/init/answers.ts";

Deno.test("parseInitArgs() reads every option, after deno task's -- too", () => {
  const flags = parseInitArgs([
    "--",
    "--spreadsheet",
    "https://docs.google.com/spreadsheets/d/x/edit",
    "--tab=Сделки",
    "--site-id",
    "12345",
    "--google-key-file",
    "key.json",
    "--calltouch-key-file",
    "ct.txt",
    "--several",
    "--target-id",
    "filial1",
    "--replace-secret",
    "SYNC_TOKEN",
    "--replace-secret",
    "CALLTOUCH_TOKEN_FILIAL1",
    "--wait-minutes",
    "0",
    "--no-input",
  ]);
  assert.equal(typeof flags, "object", String(flags));
  assert.deepEqual(
    Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    {
      help: false,
      spreadsheet: "https://docs.google.com/spreadsheets/d/x/edit",
      tab: "Сделки",
      siteId: "12345",
      googleKeyFile: "key.json",
      calltouchKeyFile: "ct.txt",
      several: true,
      targetId: "filial1",
      replaceSecrets: ["SYNC_TOKEN", "CALLTOUCH_TOKEN_FILIAL1"],
      waitMinutes: 0,
      noInput: true,
    },
  );
});

Deno.test("parseInitArgs() says what is wrong in one line", () => {
  const cases: [string[], RegExp][] = [
    [["--calltouch-key", "secret"], /Unknown option '--calltouch-key'/],
    [["now"], /Unexpected argument 'now'/],
    [["--wait-minutes", "ten"], /^--wait-minutes must be a whole number from 0 to 120, got "ten"$/],
    [["--wait-minutes", "500"], /from 0 to 120/],
  ];
  for (const [args, expected] of cases) {
    const result = parseInitArgs(args);
    assert.equal(typeof result, "string", args.join(" "));
    assert.match(result as string, expected);
  }
});

Deno.test("readAnswersFile(): the answers, paths relative to the file; unknown keys refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cts-answers-" });
  try {
    const path = join(dir, "clinic.json");
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        spreadsheet: "1AbC",
        tab: "Сделки",
        calltouchSiteId: "12345",
        googleKeyFile: "keys/google.json",
        calltouchKeyFile: "/etc/ct.txt",
        several: false,
        waitMinutes: 3,
      }),
    );
    assert.deepEqual(await readAnswersFile(path), {
      spreadsheet: "1AbC",
      tab: "Сделки",
      siteId: "12345",
      googleKeyFile: join(dir, "keys/google.json"),
      calltouchKeyFile: "/etc/ct.txt",
      several: false,
      waitMinutes: 3,
    });
    await Deno.writeTextFile(path, JSON.stringify({ calltouchToken: "live-key" }));
    await assert.rejects(
      () => readAnswersFile(path),
      (error: Error) => {
        assert.match(error.message, /unknown key "calltouchToken": expected spreadsheet, tab/);
        assert.ok(!error.message.includes("live-key"));
        return true;
      },
    );
    await Deno.writeTextFile(path, JSON.stringify({ several: "yes" }));
    await assert.rejects(() => readAnswersFile(path), /"several" must be a boolean/);
    await Deno.writeTextFile(path, "{ not json");
    await assert.rejects(() => readAnswersFile(path), /is not valid JSON/);
    await assert.rejects(
      () => readAnswersFile(join(dir, "none.json")),
      /Cannot read the answers file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
