/**
 * The deals tab drawn as a spreadsheet grid (column letters, row numbers, the cells as Google
 * shows them, status cells tinted by their mark): the README's sheet picture and the demo's
 * `--serve` view of the emulator's sheet.
 */
import type { CellValue } from "../src/deal.ts";
import { STATUS_HEADER } from "../src/columns/written.ts";
import { columnLetters } from "../src/sheet/a1.ts";

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * The tab as a spreadsheet grid: column letters, row numbers, the cells as the sheet shows them.
 * `head` goes into the page's head (the demo's view reloads itself with a meta refresh).
 */
export function sheetHtml(cells: CellValue[][], title: string, head = ""): string {
  const width = Math.max(...cells.map((row) => row.length));
  const letters = Array.from({ length: width }, (_, i) => columnLetters(i + 1));
  const statusColumn = cells[0].indexOf(STATUS_HEADER);
  const shown = (value: CellValue | undefined, column: number, row: number) => {
    if (value === undefined || value === "") return "";
    // Date cells arrive as serial numbers; the sheet shows them as dates.
    if (typeof value === "number" && row > 0 && /Дата/.test(String(cells[0][column]))) {
      const ms = Math.round((value - 25569) * 86_400_000);
      return new Date(ms).toISOString().slice(0, 16).replace(
        /(\d+)-(\d+)-(\d+)T(\d+:\d+)/,
        "$3.$2.$1 $4",
      );
    }
    return String(value);
  };
  const row = (values: CellValue[], index: number) =>
    `<tr><th>${index + 1}</th>${
      letters.map((_, column) => {
        const text = shown(values[column], column, index);
        const cls = index === 0
          ? "head"
          : column === statusColumn
          ? text.startsWith("✅") ? "ok" : text.startsWith("❌") ? "bad" : text ? "wait" : ""
          : "";
        return `<td class="${cls}">${escape(text)}</td>`;
      }).join("")
    }</tr>`;
  return `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title>${head}<style>
body{margin:0;font:13px Arial,sans-serif;background:#fff}
.bar{background:#f9fbfd;border-bottom:1px solid #c7c7c7;padding:8px 12px;font-size:16px}
table{border-collapse:collapse}th,td{border:1px solid #e1e1e1;padding:3px 6px;white-space:nowrap;
max-width:330px;overflow:hidden;text-overflow:ellipsis}
th{background:#f8f9fa;color:#5f6368;font-weight:normal;min-width:28px}
td.head{font-weight:bold;background:#f1f3f4}td.ok{background:#e6f4ea}td.bad{background:#fce8e6}
td.wait{background:#fef7e0}</style>
<div style="display:inline-block"><div class="bar">${escape(title)}</div>
<table><tr><th></th>${letters.map((l) => `<th>${l}</th>`).join("")}</tr>
${cells.map(row).join("\n")}</table></div>`;
}
