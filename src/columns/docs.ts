/**
 * The column table as people read it: the sheet template (CSV and TSV), the column table of
 * `docs/how-it-works.md` and the sheet guide's list of columns. Pure; the files are written by
 * `deno task generate` and checked by CI (`test/generated_test.ts`).
 */
import { DEAL_COLUMNS, DERIVED } from "./deal_columns.ts";
import { CUSTOM_FIELDS_ENTRY } from "./custom.ts";
import { ATTRIBUTION_COLUMN, STATUS_COLUMN } from "./written.ts";

/** The template's header row: every column's main header, the status column last. */
export const TEMPLATE_HEADERS: readonly string[] = [
  ...DEAL_COLUMNS.map((column) => column.headers[0]),
  STATUS_COLUMN.headers[0],
];

/** The template's rows, header first: the example deals of the table, statuses empty. */
export function templateRows(): string[][] {
  const examples = [0, 1, 2, 3].map((i) => [
    ...DEAL_COLUMNS.map((column) => column.examples[i]),
    "",
  ]);
  return [[...TEMPLATE_HEADERS], ...examples];
}

/** RFC 4180 CSV (LF line ends): fields with `,`, `"` or line breaks are quoted. */
export function templateCsv(): string {
  const field = (cell: string) => /[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  return templateRows().map((row) => row.map(field).join(",")).join("\n") + "\n";
}

/** Tab-separated (to paste into cell A1): no cell holds a tab or a line break. */
export function templateTsv(): string {
  return templateRows().map((row) => row.join("\t")).join("\n") + "\n";
}

const code = (header: string) => `\`${header}\``;

/** The table of every column, in `docs/how-it-works.md` (English). */
export function columnsTable(): string {
  const rows = DEAL_COLUMNS.map((column) =>
    `| ${column.key} | ${column.doc.en} | ${column.headers.map(code).join(", ")} |`
  );
  rows.push(
    `| ${CUSTOM_FIELDS_ENTRY.key} | ${CUSTOM_FIELDS_ENTRY.doc.en} | as named in \`CUSTOM_FIELDS\` |`,
  );
  for (const entry of DERIVED) rows.push(`| ${entry.key} | ${entry.doc.en} | — |`);
  for (const column of [STATUS_COLUMN, ATTRIBUTION_COLUMN]) {
    rows.push(`| ${column.key} | ${column.doc.en} | ${column.headers.map(code).join(", ")} |`);
  }
  return [
    "| field | what it holds | headers recognised |",
    "| --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The sheet guide's list: how to fill each column in (Russian, for clinic staff). */
export function guideColumnsList(): string {
  const lines = DEAL_COLUMNS.map((column) => `- **${column.headers[0]}** — ${column.guide}`);
  lines.push(
    `- **${STATUS_COLUMN.headers[0]}** — заполняет синхронизация, сами не редактируйте (см. ниже).`,
  );
  return lines.join("\n");
}
