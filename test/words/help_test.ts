/**
 * The troubleshooting table (`src/words/help.ts`): every code of the catalog's message sections
 * has an entry and every entry a code; each message appears exactly once across the README's
 * tables and `docs/troubleshooting.md`; the help keeps the house voice.
 */
import assert from "node:assert/strict";
import { RU } from "../../src/words/ru.ts";
import {
  HELP,
  type Help,
  HELP_SECTIONS,
  type HelpTable,
  SECTION_TITLES,
} from "../../src/words/help.ts";
import {
  codeSpan,
  helpRows,
  readmeCellsTable,
  readmeErrorsTable,
  troubleshootingTables,
} from "../../scripts/troubleshooting.ts";

type Node = { readonly [key: string]: unknown };

const ROOT = new URL("../../", import.meta.url);

Deno.test("HELP has an entry for every code of the message sections, and no other", () => {
  for (const section of HELP_SECTIONS) {
    assert.deepEqual(
      Object.keys(HELP[section]).sort(),
      Object.keys(RU[section] as Node).sort(),
      `help for the section ${section}`,
    );
  }
  assert.deepEqual(Object.keys(SECTION_TITLES).sort(), [...HELP_SECTIONS].sort());
});

Deno.test("HelpTable does not compile with a code missing or an entry without a code", () => {
  const { created: _created, ...missing } = HELP.status;
  // @ts-expect-error: status.created has no entry
  const _lacking: HelpTable = { ...HELP, status: missing };
  // @ts-expect-error: no such code in the catalog
  const _extra: HelpTable = { ...HELP, status: { ...HELP.status, nope: "fragment" } };
  const wrongExample = { who: "clinic", todo: "x", example: [1] } as const;
  // @ts-expect-error: an example must fit the code's parameters
  const _wrong: HelpTable = { ...HELP, rows: { ...HELP.rows, idMissing: wrongExample } };
});

Deno.test("only texts a person reads as they are get help; fragments and labels do not", () => {
  for (const section of HELP_SECTIONS) {
    for (const [code, entry] of Object.entries(HELP[section] as Node)) {
      const text = (RU[section] as Node)[code];
      if (typeof text !== "function" && typeof text !== "string") {
        assert.equal(entry, "fragment", `${section}.${code} is a table of words, not a message`);
      }
    }
  }
});

Deno.test("every help entry says who acts and what to do, in the house voice", () => {
  const rows = helpRows();
  assert.ok(rows.length > 60, `${rows.length} messages with help`);
  for (const { code, help, message } of rows) {
    assert.ok(["clinic", "integrator", "nobody"].includes(help.who), code);
    assert.ok(help.todo.trim().length > 5, `${code}: what to do`);
    assert.doesNotMatch(help.todo, /!|\s{2}|^\s|\s$|\.$/, `${code}: "${help.todo}"`);
    assert.match(help.todo, /[а-яё]/i, `${code}: in Russian`);
    assert.doesNotMatch(message, /undefined|NaN|\[object/, `${code}: ${message}`);
  }
});

Deno.test("a message that says it heals by itself is nobody's to act on", () => {
  for (const { code, help, message } of helpRows()) {
    if (/^⏳ Calltouch не ответил|повторим при следующем запуске\.$/.test(message)) {
      assert.equal(help.who, "nobody", code);
    }
    if (message.startsWith("✅")) assert.equal(help.who, "nobody", code);
  }
});

Deno.test("the README shows every status cell and the run errors staff see", () => {
  const cells = helpRows().filter((row) => row.help.readme === "cells");
  for (const code of Object.keys(HELP.status)) {
    if (typeof HELP.status[code as keyof typeof HELP.status] === "string") continue;
    assert.ok(cells.some((row) => row.code === `status.${code}`), `status.${code} in the README`);
  }
  const errors = helpRows().filter((row) => row.help.readme === "errors");
  for (const code of ["run.config", "run.internal", "google.notShared", "calltouch.credentials"]) {
    assert.ok(errors.some((row) => row.code === code), `${code} in the README`);
  }
});

Deno.test("each message appears exactly once across the README and docs/troubleshooting.md", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const docs = await Deno.readTextFile(new URL("docs/troubleshooting.md", ROOT));
  const shown = [readmeCellsTable(), readmeErrorsTable(), troubleshootingTables()].join("\n");
  for (const { code, message } of helpRows()) {
    // As a cell of its own: `| <message> |`, whatever the column widths deno fmt pads to.
    const cell = new RegExp(`\\| ${RegExp.escape(codeSpan(message))} +\\|`, "g");
    const times = (text: string) => text.match(cell)?.length ?? 0;
    assert.equal(times(shown), 1, `${code} is shown once`);
    assert.equal(
      times(readme) + times(docs),
      1,
      `${code} is in README.md or docs/troubleshooting.md`,
    );
  }
});

Deno.test("an entry's example, when it has one, is what its message is shown with", () => {
  const entry = HELP.rows.moneyNegative as Help;
  const row = helpRows().find((r) => r.code === "rows.moneyNegative")!;
  assert.deepEqual(entry.example, ["E7 (Сумма)", "-500"]);
  assert.equal(row.message, "❌ E7 (Сумма): отрицательная сумма «-500», ожидается 0 или больше");
});
