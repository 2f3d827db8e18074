/**
 * Where a column is, found the way the sync finds it (the column table's headers), so tests never
 * hard-code a position or a column letter: a column added to the table or to a fixture moves
 * nothing here.
 */
import { mapHeader } from "../../src/columns/header.ts";
import type { ColumnField } from "../../src/columns/header.ts";
import type { CellValue } from "../../src/deal.ts";
import { columnLetters } from "../../src/sheet/a1.ts";

/**
 * The 0-based index of a column in a header row: where the sync reads it, or, for the status
 * column of a sheet without one, where it creates it.
 */
export function columnIndex(header: readonly CellValue[], field: ColumnField): number {
  const mapping = mapHeader(header);
  if (!mapping.ok) throw new Error(`the header lacks ${mapping.missing.join(", ")}`);
  const index = (mapping.columns as Record<string, unknown>)[field];
  if (typeof index !== "number") throw new Error(`the header has no ${field} column`);
  return index;
}

/** A cell's A1 name (no tab): the column of `field` in `header`, at 1-based `row`. */
export function cellOf(header: readonly CellValue[], field: ColumnField, row: number): string {
  return `${columnLetters(columnIndex(header, field) + 1)}${row}`;
}
