import assert from "node:assert/strict";
import type { RowProblem } from "../../src/deal.ts";
import { problemsByRow, renderRowProblems } from "../../src/sync/row_problems.ts";

function problem(row: number, message: string): RowProblem {
  return { row, code: "test", message };
}

Deno.test("problemsByRow() groups by row, keeping the order within a row", () => {
  const a = problem(2, "a");
  const b = problem(2, "b");
  const c = problem(5, "c");
  assert.deepEqual([...problemsByRow([a, b, c])], [[2, [a, b]], [5, [c]]]);
});

Deno.test("renderRowProblems() joins the messages of a row", () => {
  assert.equal(
    renderRowProblems([problem(2, "A2: one"), problem(2, "B2: two")]),
    "A2: one; B2: two",
  );
  assert.equal(renderRowProblems([]), "");
});

Deno.test("renderRowProblems() keeps whole messages that fit and counts the rest", () => {
  const problems = ["a".repeat(10), "b".repeat(10), "c".repeat(10), "d".repeat(10)].map((m) =>
    problem(3, m)
  );
  assert.equal(
    renderRowProblems(problems, { maxLength: 37 }),
    "aaaaaaaaaa; и ещё 3 ошибки",
  );
  assert.equal(
    renderRowProblems(problems, { maxLength: 44, language: "en" }),
    "aaaaaaaaaa; bbbbbbbbbb; and 2 more problems",
  );
  assert.equal(
    renderRowProblems(problems, { maxLength: 46 }),
    "aaaaaaaaaa; bbbbbbbbbb; cccccccccc; dddddddddd",
  );
});

Deno.test("renderRowProblems() cuts a first message too long on its own", () => {
  assert.equal(renderRowProblems([problem(2, "x".repeat(30))], { maxLength: 10 }), "xxxxxxxxx…");
  assert.equal(
    renderRowProblems([problem(2, "x".repeat(30)), problem(2, "y")], { maxLength: 30 }),
    "xxxxxxxxxxxxx…; и ещё 1 ошибка",
  );
});
