/** Deal IDs: reading them from cells and finding IDs that more than one row carries. */
import { type Cell, valueText } from "./cells.ts";

/**
 * The deal ID of a cell: trimmed text; a numeric cell as typed (`1234`, never `1234.0`). `""`
 * when the cell is empty (or holds only a dash).
 *
 * @example
 * readOrderNumber(1234); // "1234"
 * readOrderNumber("  A-17 "); // "A-17"
 */
export function readOrderNumber(cell: Cell): string {
  return valueText(cell);
}

/**
 * Remembers which rows carry which ID and reports the IDs seen on more than one row. IDs are
 * compared exactly (after trimming), so `A-1` and `a-1` are different deals.
 *
 * @example
 * const ids = new IdIndex();
 * ids.add("17", 2);
 * ids.add("17", 9);
 * ids.duplicates; // Map { "17" => [2, 9] }
 */
export class IdIndex {
  readonly #firstRow = new Map<string, number>();
  readonly #duplicates = new Map<string, number[]>();

  /** Records that `row` carries `id`. Rows must be added in ascending order. */
  add(id: string, row: number): void {
    const first = this.#firstRow.get(id);
    if (first === undefined) {
      this.#firstRow.set(id, row);
      return;
    }
    const rows = this.#duplicates.get(id);
    if (rows) rows.push(row);
    else this.#duplicates.set(id, [first, row]);
  }

  /** Every ID carried by two or more rows, with all its rows in ascending order. */
  get duplicates(): ReadonlyMap<string, readonly number[]> {
    return this.#duplicates;
  }
}
