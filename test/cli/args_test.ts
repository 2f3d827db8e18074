/** parseCommandLine(): commands, options and the errors a user sees. */
import assert from "node:assert/strict";
import { parseCommandLine } from "../../src/cli/args.ts";

Deno.test("parseCommandLine() reads commands and options", () => {
  const cases: [string[], unknown][] = [
    [["sync"], { command: "sync", dryRun: false, json: false }],
    [["sync", "--dry-run", "--json"], { command: "sync", dryRun: true, json: true }],
    [["--json", "check"], { command: "check", dryRun: false, json: true }],
    [
      ["sync", "--env-file", "prod.env", "--state=/var/lib/sync.json"],
      {
        command: "sync",
        dryRun: false,
        json: false,
        envFile: "prod.env",
        state: "/var/lib/sync.json",
      },
    ],
    [["help"], { command: "help", dryRun: false, json: false }],
    [["check", "--help"], { command: "help", dryRun: false, json: false }],
    [["-h"], { command: "help", dryRun: false, json: false }],
    // `deno task sync -- --help` passes the `--` on.
    [["sync", "--", "--help"], { command: "help", dryRun: false, json: false }],
    [["probe", "--", "-h"], { command: "help", dryRun: false, json: false }],
    [["sync", "help"], { command: "help", dryRun: false, json: false }],
    [["sync", "--", "--dry-run"], { command: "sync", dryRun: true, json: false }],
    [["--", "check", "--json"], { command: "check", dryRun: false, json: true }],
    [["check", "--language", "ru"], {
      command: "check",
      dryRun: false,
      json: false,
      language: "ru",
    }],
    [["sync", "--language=en"], { command: "sync", dryRun: false, json: false, language: "en" }],
  ];
  for (const [args, expected] of cases) {
    assert.deepEqual(parseCommandLine(args), expected, args.join(" "));
  }
});

Deno.test("parseCommandLine() explains what is wrong in one line", () => {
  const cases: [string[], RegExp][] = [
    [[], /^no command given: expected sync, check, verify, probe, setup or help$/],
    [["push"], /^unknown command "push": expected sync, check, verify, probe, setup or help$/],
    [["sync", "now"], /^unexpected argument "now"$/],
    [["check", "--dry-run"], /^--dry-run goes with the sync command$/],
    [["sync", "--verbose"], /--verbose/],
    [["sync", "--state"], /--state/],
    [["sync", "--env-file", " "], /^--env-file needs a file name$/],
    [["sync", "--language", "de"], /^--language takes ru or en, got "de"$/],
  ];
  for (const [args, expected] of cases) {
    const result = parseCommandLine(args);
    assert.equal(typeof result, "string", args.join(" "));
    assert.match(result as string, expected);
  }
});
