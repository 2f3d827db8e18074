/**
 * Custom-field columns (`CUSTOM_FIELDS`, e.g. `Врач=doctor; Филиал=branch`): extra columns a
 * clinic names in the settings, each sent as a Calltouch deal custom field. Each mapping is a
 * column of the table like the built-in ones (headers, reader, key `custom.<field>`); the deal's
 * custom fields are sent together by one entry, under the `custom` hold.
 */
import type { Deal } from "../deal.ts";
import { type Cell, valueText } from "../sheet/cells.ts";
import { fieldOfHeader, normalizeHeader, REQUIRED_FIELDS } from "./header.ts";
import type { ColumnEntry, CustomFieldMapping, ReadContext } from "./spec.ts";

/** Text holding an e-mail address or a phone (ten digits or more, with any punctuation). */
const CONTACT = /[^\s@]+@[^\s@]+\.[^\s@]+|(?:\d[\s()+.-]*){10,}/;

/**
 * Whether a custom column's cell looks like a phone or an e-mail. A number cell does only as a
 * whole number of 10–11 digits (a phone typed without formatting): a date or a sum does not.
 */
function looksLikeContact(cell: unknown, text: string): boolean {
  if (typeof cell === "number") return Number.isInteger(cell) && /^\d{10,11}$/.test(text);
  return CONTACT.test(text);
}

/**
 * Reads a custom-field cell: its text, or undefined when empty. Custom fields are free text: a
 * phone or an e-mail there would reach Calltouch unmasked, so it is a row problem instead.
 */
export function readCustomCell(cell: Cell, ctx: ReadContext): string | undefined {
  const value = valueText(cell);
  if (value === "") return undefined;
  if (looksLikeContact(cell, value)) {
    ctx.problem("custom.contact", ctx.messages.customContact(ctx.cell));
    return undefined;
  }
  return value;
}

/** The key of a custom field's column: stable, named by the Calltouch field. */
export function customKey(field: string): string {
  return `custom.${field}`;
}

/**
 * The deal's custom fields, sent together (in the sheet's column order): on create when the
 * deal has any; on update when one changed since what Calltouch holds. A cleared cell is not
 * sent: whether an empty value clears a custom field is undocumented (Calltouch has a separate
 * delete method), so the value stays in Calltouch.
 */
export const CUSTOM_FIELDS_ENTRY: ColumnEntry<"customFields"> = {
  key: "customFields",
  doc: {
    en: "the columns CUSTOM_FIELDS names, as Calltouch deal custom fields",
    ru: "столбцы из настройки CUSTOM_FIELDS — как дополнительные поля сделки в Calltouch",
  },
  create: (order, deal) => {
    if (deal.custom) order.customFields = customFieldsOf(deal.custom);
  },
  update: (order, deal, ctx) => {
    if (deal.custom && Object.keys(deal.custom).length > 0 && ctx.changed("custom")) {
      order.customFields = customFieldsOf(deal.custom);
    }
  },
  mentions: ["customFields?"],
};

function customFieldsOf(custom: Record<string, string>): { field: string; value: string }[] {
  return Object.entries(custom).map(([field, value]) => ({ field, value }));
}

/** What the `custom` hold covers: every custom field of the deal. */
export function customValues(deal: Deal): Record<string, string> {
  return deal.custom ?? {};
}

/**
 * Parses `CUSTOM_FIELDS`: `Header=field` pairs separated by `;` (or new lines), e.g.
 * `Врач=doctor; Филиал=branch`; returns what is wrong instead when it cannot be read. A mapping
 * may name an optional column the sync knows (the custom field then takes that column), but not
 * a required column or a column the sync writes.
 *
 * @example
 * customFieldsFrom("Врач=doctor; Филиал=branch");
 * // [{ header: "Врач", field: "doctor" }, { header: "Филиал", field: "branch" }]
 */
export function customFieldsFrom(value: string): CustomFieldMapping[] | string {
  const mappings: CustomFieldMapping[] = [];
  for (const part of value.split(/[;\n]/).map((p) => p.trim()).filter(Boolean)) {
    const [header, field, extra] = part.split("=").map((p) => p.trim());
    if (!header || !field || extra !== undefined || /\s/.test(field)) {
      return `must be Header=field pairs separated by ";" (e.g. "Врач=doctor; Филиал=branch"), ` +
        `got "${part}"`;
    }
    if (mappings.some((m) => normalizeHeader(m.header) === normalizeHeader(header))) {
      return `names the column "${header}" twice`;
    }
    if (mappings.some((m) => m.field === field)) return `names the custom field "${field}" twice`;
    const known = fieldOfHeader(header);
    if (
      known === "syncStatus" || known === "attribution" ||
      (REQUIRED_FIELDS as string[]).includes(known ?? "")
    ) {
      return `maps "${header}", a column the sync needs for itself; custom fields are extra columns`;
    }
    mappings.push({ header, field });
  }
  return mappings;
}
