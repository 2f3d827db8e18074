/**
 * Tags: split on `,` `;` or line breaks, trimmed, empty ones dropped, de-duplicated (exactly, so
 * `МРТ` and `мрт` stay two tags, as Calltouch would keep them).
 */
import { type Cell, isTagSeparator, splitList, valueText } from "./cells.ts";

/**
 * Reads a tags cell; a lone dash counts as no tags.
 *
 * @example
 * parseTagsCell("МРТ, первичный; МРТ\nакция"); // ["МРТ", "первичный", "акция"]
 */
export function parseTagsCell(cell: Cell): string[] {
  const text = valueText(cell);
  if (text.length === 0) return [];
  const tags = splitList(text, isTagSeparator);
  return tags.length < 2 ? tags : [...new Set(tags)];
}
