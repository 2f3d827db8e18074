/**
 * The troubleshooting tables, rendered from `src/words/help.ts` (who acts, what to do) and the
 * catalog itself (each message shown once, in Russian, with its sample arguments from
 * `test/words/samples.ts` or the entry's own example): the README's two short tables (the status
 * cells; the errors of a run staff see) and `docs/troubleshooting.md`'s table of every other
 * message. Written by `deno task generate`.
 */
import { RU } from "../src/words/ru.ts";
import {
  ACTOR_WORDS,
  HELP,
  type Help,
  HELP_SECTIONS,
  type HelpSection,
  SECTION_TITLES,
} from "../src/words/help.ts";
import { SAMPLES } from "../test/words/samples.ts";

type Node = { readonly [key: string]: unknown };

/** One message a person can see, with its help. */
export interface HelpRow {
  section: HelpSection;
  /** `section.code`. */
  code: string;
  /** The message, rendered in Russian. */
  message: string;
  help: Help;
}

/** Every code of the help sections that has help (fragments and report lines left out). */
export function helpRows(): HelpRow[] {
  return HELP_SECTIONS.flatMap((section) =>
    Object.entries(HELP[section] as Node).flatMap(([code, entry]) => {
      if (typeof entry === "string") return [];
      const help = entry as Help;
      const text = (RU[section] as Node)[code];
      const args = help.example ?? ((SAMPLES as Node)[section] as Node | undefined)?.[code] ?? [];
      const message = typeof text === "function"
        ? (text as (...a: unknown[]) => string)(...(args as unknown[]))
        : String(text);
      // A row problem is shown in its status cell behind ❌; the header's is the run's error.
      const cell = section === "rows" && code !== "missingColumns";
      return [{
        section,
        code: `${section}.${code}`,
        message: cell ? `❌ ${message}` : message,
        help,
      }];
    })
  );
}

/** A message as a Markdown code span: on one line, its own backticks and pipes kept. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ").replaceAll("|", "\\|");
  const ticks = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length)) + 1;
  const fence = "`".repeat(ticks);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

function table(rows: readonly HelpRow[], withCode: boolean): string {
  const head = withCode
    ? ["| код | сообщение (пример) | кто | что делать |", "| --- | --- | --- | --- |"]
    : ["| сообщение (пример) | кто | что делать |", "| --- | --- | --- |"];
  return [
    ...head,
    ...rows.map((row) =>
      `| ${withCode ? `\`${row.code}\` | ` : ""}${codeSpan(row.message)} | ${
        ACTOR_WORDS[row.help.who]
      } | ${cell(row.help.todo)} |`
    ),
  ].join("\n");
}

/** The status cells a clinic sees (✅ ❌ ⏳, a row problem among them), in that order. */
export function statusCellRows(): HelpRow[] {
  const order = (row: HelpRow) => ["✅", "❌", "⏳"].indexOf([...row.message][0]);
  const rows = helpRows().filter((row) => row.help.readme === "cells");
  return rows.sort((a, b) => order(a) - order(b));
}

/** The README's table of the status cells: what ✅ ❌ ⏳ mean, who acts. */
export function readmeCellsTable(): string {
  return table(statusCellRows(), false);
}

/** The README's table of the errors of a run that staff see on the panel and in the menu. */
export function readmeErrorsTable(): string {
  return table(helpRows().filter((row) => row.help.readme === "errors"), false);
}

/** `docs/troubleshooting.md`'s tables: every message not in the README, by section. */
export function troubleshootingTables(): string {
  const rest = helpRows().filter((row) => row.help.readme === undefined);
  return HELP_SECTIONS.flatMap((section) => {
    const rows = rest.filter((row) => row.section === section);
    if (rows.length === 0) return [];
    const { title, where } = SECTION_TITLES[section];
    return [`### ${title}`, "", `Seen in ${where}.`, "", table(rows, true), ""];
  }).join("\n").trimEnd();
}
