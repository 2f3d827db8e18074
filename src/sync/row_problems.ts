/**
 * Row problems → the text of a row's status cell (without the leading `❌`, which the sync adds):
 * every problem of the row, joined, cut to fit the cell.
 */
import type { Language, RowProblem } from "../deal.ts";
import { words } from "../words/mod.ts";

/**
 * Default longest rendered text: the sync's status cells hold at most 500 characters, and `❌ `
 * goes in front.
 */
export const MAX_PROBLEMS_TEXT = 480;

const SEPARATOR = "; ";

/** Options of {@linkcode renderRowProblems}. */
export interface RenderOptions {
  /** Language of the "and N more" tail. Default `"ru"`. */
  language?: Language;
  /** Longest text returned. Default {@linkcode MAX_PROBLEMS_TEXT}. */
  maxLength?: number;
}

/**
 * Groups problems by row, keeping their order within each row.
 *
 * @example
 * problemsByRow(sheet.problems).get(5); // every problem of row 5
 */
export function problemsByRow(problems: readonly RowProblem[]): Map<number, RowProblem[]> {
  const byRow = new Map<number, RowProblem[]>();
  for (const problem of problems) {
    const list = byRow.get(problem.row);
    if (list) list.push(problem);
    else byRow.set(problem.row, [problem]);
  }
  return byRow;
}

/**
 * Renders the problems of one row as one status-cell text: messages joined with `; `. When they
 * do not fit in `maxLength`, whole messages are kept while they fit and the rest is counted
 * (`…; и ещё 2 ошибки`); a first message too long on its own is cut with `…`.
 *
 * @example
 * renderRowProblems(problemsByRow(sheet.problems).get(5) ?? []);
 * // "A5 (ID сделки): не указан ID сделки, …; C5 (Сумма): отрицательная сумма «-5», …"
 */
export function renderRowProblems(
  problems: readonly RowProblem[],
  options: RenderOptions = {},
): string {
  const maxLength = options.maxLength ?? MAX_PROBLEMS_TEXT;
  const all = problems.map((problem) => problem.message).join(SEPARATOR);
  if (all.length <= maxLength) return all;
  const more = words(options.language ?? "ru").rows.moreProblems;
  let text = "";
  for (let i = 0; i < problems.length; i++) {
    const candidate = i === 0 ? problems[i].message : text + SEPARATOR + problems[i].message;
    const left = problems.length - i - 1;
    const tail = left > 0 ? SEPARATOR + more(left) : "";
    if (candidate.length + tail.length <= maxLength) {
      text = candidate;
      continue;
    }
    if (i > 0) return text + SEPARATOR + more(problems.length - i);
    // The first message alone is too long: cut it, keeping room for the tail.
    return problems[0].message.slice(0, Math.max(0, maxLength - tail.length - 1)) + "…" + tail;
  }
  return text;
}
