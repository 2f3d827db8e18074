/** `--help` on every task, also after the `--` that `deno task name -- args` passes on. */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** Each task with the arguments a person would try, and what its help starts with. */
const CASES: [args: string[], starts: RegExp][] = [
  [["sync", "--", "--help"], /^calltouch-sheet-sync: send a clinic's deals/],
  [["sync", "--help"], /^calltouch-sheet-sync: send a clinic's deals/],
  [["probe", "--help"], /^calltouch-sheet-sync: send a clinic's deals/],
  [["verify", "--", "-h"], /^calltouch-sheet-sync: send a clinic's deals/],
  [["setup-sheet", "--help"], /deno task setup-sheet \[options\] +\(the setup command\)/],
  [["setup-sheet", "--", "--help"], /deno task setup-sheet \[options\] +\(the setup command\)/],
  [["init", "--help"], /^Usage: deno task init/],
  [["init", "--", "--help"], /^Usage: deno task init/],
  [["demo", "--help"], /^Usage: deno task demo/],
  [["screenshots", "--help"], /^Usage: deno task screenshots/],
  [["soak", "--", "--help"], /^usage: deno task soak/],
  [["bench", "--help"], /^Usage: deno task bench/],
];

Deno.test("deno task <name> --help prints the help and exits 0, for every task", async (t) => {
  for (const [args, starts] of CASES) {
    await t.step(`deno task ${args.join(" ")}`, async () => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["task", "-q", ...args],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = new TextDecoder().decode(stdout);
      const err = new TextDecoder().decode(stderr);
      assert.equal(code, 0, `${out}\n${err}`);
      assert.match(out, starts);
      assert.doesNotMatch(out + err, /unexpected argument|Unknown option|error:/i);
    });
  }
});
