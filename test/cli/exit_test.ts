/** runExitCode() and checkExitCode(): the exit-code rule of the command-line tool. */
import assert from "node:assert/strict";
import type { CheckReport } from "../../src/cli/check.ts";
import { checkExitCode, EXIT, runExitCode } from "../../src/cli/exit.ts";
import {
  emptyCounts,
  emptyRequests,
  type RunCounts,
  type RunReport,
} from "../../src/sync/report.ts";

function report(counts: Partial<RunCounts>, overrides: Partial<RunReport> = {}): RunReport {
  return {
    ok: true,
    trigger: "manual",
    startedAt: "2026-11-28T12:00:00.000Z",
    durationMs: 1,
    counts: { ...emptyCounts(), rows: 10, ...counts },
    requests: emptyRequests(),
    rows: [],
    ...overrides,
  };
}

Deno.test("runExitCode(): 0 all sent or unchanged, 1 rows need attention or a retry, 2 run errors", () => {
  const cases: [RunReport, number, string][] = [
    [report({ created: 5, updated: 2, unchanged: 3 }), EXIT.ok, "all accepted"],
    [report({ unchanged: 10 }), EXIT.ok, "idle"],
    [report({ rows: 0 }), EXIT.ok, "empty sheet"],
    [report({ created: 9, invalid: 1 }), EXIT.rows, "an invalid row"],
    [report({ unchanged: 9, held: 1 }), EXIT.rows, "a deal held since Calltouch refused it"],
    [report({ created: 9, failed: 1 }), EXIT.rows, "a deal refused now"],
    [report({ created: 9, failed: 1, retrying: 1 }), EXIT.rows, "a deal left for the next run"],
    [
      report({ created: 3 }, { ok: false, error: { kind: "calltouch", message: "401" } }),
      EXIT.fatal,
      "Calltouch refused the token after some batches",
    ],
    [
      report({}, { ok: false, error: { kind: "config", message: "x", problems: ["x"] } }),
      EXIT.fatal,
      "settings",
    ],
    [report({}, { ok: false, error: { kind: "google", message: "403" } }), EXIT.fatal, "access"],
    [
      report({}, { ok: false, error: { kind: "sheet", message: "no column" } }),
      EXIT.fatal,
      "header",
    ],
    [report({}, { ok: false, error: { kind: "internal", message: "bug" } }), EXIT.fatal, "bug"],
  ];
  for (const [input, expected, what] of cases) assert.equal(runExitCode(input), expected, what);
});

Deno.test("checkExitCode(): 2 unusable sheet, 1 row problems, 0 clean", () => {
  const base: CheckReport = {
    ok: true,
    spreadsheetId: "x",
    siteId: "1",
    customFields: [],
    journal: false,
    problems: [],
    warnings: [],
  };
  assert.equal(checkExitCode(base), EXIT.ok);
  assert.equal(checkExitCode({ ...base, warnings: ["no phone column"] }), EXIT.ok);
  assert.equal(
    checkExitCode({
      ...base,
      ok: false,
      problems: [{ row: 2, code: "date.invalid", message: "…" }],
    }),
    EXIT.rows,
  );
  assert.equal(
    checkExitCode({ ...base, ok: false, error: { kind: "sheet", message: "…" } }),
    EXIT.fatal,
  );
});
