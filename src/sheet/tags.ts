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
  // A cell holds a few tags: looking back is cheaper than building a Set when none repeats.
  for (let i = 1; i < tags.length; i++) {
    if (tags.lastIndexOf(tags[i], i - 1) >= 0) return [...new Set(tags)];
  }
  return tags;
}
